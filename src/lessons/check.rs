//! Step checks: conditions on the lab's state, one per line, all of which must hold.
//!
//! | condition                                   | holds when                                        |
//! |---------------------------------------------|---------------------------------------------------|
//! | `ran HOST WORDS...`                         | a session on HOST ran a line starting with WORDS |
//! | `clock_advanced SECONDS`                    | the lab's clock moved at least that far           |
//! | `file HOST PATH`                            | the file exists on HOST (`~` is the home)         |
//! | `file_contains HOST PATH TEXT...`           | and contains TEXT                                 |
//! | `session_on HOST`                           | a terminal is open on HOST                        |
//! | `access_keys USER N`                        | the IAM user has at least N access keys           |
//! | `aws_credentials_valid HOST`                | the CLI on HOST finds a key that IAM accepts      |
//! | `aws_region HOST REGION`                    | the CLI on HOST resolves that region              |
//! | `api_call HOST SERVICE:Operation ok|failed [CODE]` | HOST made such a call, with that outcome (error CODE) |
//! | `dynamodb_table TABLE HASH [RANGE]`         | the table exists with that key schema             |
//! | `dynamodb_items TABLE N`                    | the table holds at least N items                  |
//! | `dynamodb_item TABLE A=V[;B=W] [has ATTR]`  | an item with those key values exists (with ATTR)  |
//! | `dynamodb_item_absent TABLE A=V[;B=W]`      | no item with those key values exists              |
//! | `dynamodb_index TABLE INDEX [STATUS]`       | the table has that global index (in that status)  |
//! | `rds_instance ID [STATUS]`                  | the RDS instance exists (in that status)          |
//! | `rds_reachable HOST ID`                     | HOST can connect to the instance's endpoint       |
//! | `rds_database ID DB`                        | the instance's server holds database DB           |
//! | `rds_rows ID DB TABLE N` / `=N`             | the instance's DB.TABLE has N+ rows / exactly N   |
//! | `rds_snapshot ID [STATUS]`                  | the DB snapshot exists (in that status)           |
//! | `rds_multi_az ID`                           | the instance runs with a Multi-AZ standby         |
//! | `rds_failovers ID N`                        | the instance completed N+ Multi-AZ failovers      |
//! | `rds_standalone ID`                         | instance ID exists and is no read replica         |
//! | `sql_table HOST mysql|postgres DB TABLE N`  | HOST's local server has DB.TABLE with N+ rows     |
//! | `redis_key HOST KEY [TYPE]`                 | HOST's Redis has KEY in db 0 (of that TYPE)       |
//! | `redis_value HOST KEY VALUE...`             | and KEY is the string VALUE                       |
//! | `redis_field HOST KEY FIELD [VALUE...]`     | and KEY is a hash with FIELD (set to VALUE)       |
//! | `redis_missing HOST KEY`                    | HOST runs Redis and KEY is not (or no longer) in db 0 |
//! | `redis_subscribers HOST CHANNEL N`          | HOST's Redis has N+ connections subscribed to CHANNEL |
//! | `redis_delivered HOST CHANNEL N`            | N+ messages published on CHANNEL reached a subscriber |
//! | `redis_stream HOST KEY N`                   | KEY is a stream of N+ entries (db 0)              |
//! | `redis_group HOST KEY GROUP [READ [ACKED]]` | the stream KEY has consumer group GROUP, which was delivered READ+ entries and acknowledged ACKED+ of them |
//!
//! Checks look at state, not at keystrokes (`ran` aside, for steps whose point is to look
//! around), so any correct way of getting there passes.

use crate::cloud::api::Credentials;
use crate::engines::cache::keyspace::Value;
use crate::shell::aws::config;
use crate::shell::Lab;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Ran {
        host: String,
        prefix: String,
    },
    ClockAdvanced {
        seconds: i64,
    },
    File {
        host: String,
        path: String,
    },
    FileContains {
        host: String,
        path: String,
        text: String,
    },
    SessionOn {
        host: String,
    },
    AccessKeys {
        user: String,
        at_least: usize,
    },
    AwsCredentialsValid {
        host: String,
    },
    AwsRegion {
        host: String,
        region: String,
    },
    ApiCall {
        host: String,
        service: String,
        operation: String,
        ok: bool,
        /// For a failed call: the error code it must have failed with.
        code: Option<String>,
    },
    DynamoTable {
        table: String,
        hash: String,
        range: Option<String>,
    },
    DynamoItems {
        table: String,
        at_least: usize,
    },
    /// An item whose attributes have these values (keys, usually), optionally carrying `has`.
    DynamoItem {
        table: String,
        values: Vec<(String, String)>,
        has: Option<String>,
    },
    DynamoItemAbsent {
        table: String,
        values: Vec<(String, String)>,
    },
    /// A global secondary index exists on the table, in a given status if one is named.
    DynamoIndex {
        table: String,
        index: String,
        status: Option<String>,
    },
    /// An RDS instance exists, in a given status if one is named.
    RdsInstance {
        id: String,
        status: Option<String>,
    },
    /// HOST can open a connection to the instance's endpoint and port.
    RdsReachable {
        host: String,
        id: String,
    },
    /// The instance's database server holds database DB.
    RdsDatabase {
        id: String,
        database: String,
    },
    RdsRows {
        id: String,
        database: String,
        table: String,
        count: usize,
        exactly: bool,
    },
    RdsSnapshot {
        id: String,
        status: Option<String>,
    },
    RdsStandalone {
        id: String,
    },
    RdsMultiAz {
        id: String,
    },
    RdsFailovers {
        id: String,
        at_least: usize,
    },
    SqlTable {
        host: String,
        flavour: String,
        database: String,
        table: String,
        at_least: usize,
    },
    RedisKey {
        host: String,
        key: String,
        kind: Option<String>,
    },
    RedisValue {
        host: String,
        key: String,
        value: String,
    },
    RedisField {
        host: String,
        key: String,
        field: String,
        value: Option<String>,
    },
    RedisMissing {
        host: String,
        key: String,
    },
    RedisSubscribers {
        host: String,
        channel: String,
        at_least: usize,
    },
    RedisDelivered {
        host: String,
        channel: String,
        at_least: u64,
    },
    RedisStream {
        host: String,
        key: String,
        at_least: usize,
    },
    RedisGroup {
        host: String,
        key: String,
        group: String,
        read: u64,
        acked: u64,
    },
}

/// An item named by its key attributes, and an attribute it must have.
type ItemSpec = (Vec<(String, String)>, Option<String>);

/// `Artist=Acme;SongTitle=Sunrise has Rating` → the pairs and the attribute.
fn item_spec(text: &str) -> Result<ItemSpec, String> {
    let (pairs, has) = match text.split_once(" has ") {
        Some((p, h)) => (p, Some(h.trim().to_string())),
        None => (text, None),
    };
    let mut values = Vec::new();
    for part in pairs.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| format!("`{part}`: write ATTRIBUTE=VALUE"))?;
        values.push((k.trim().to_string(), v.trim().to_string()));
    }
    if values.is_empty() {
        return Err("an item check needs ATTRIBUTE=VALUE pairs".into());
    }
    Ok((values, has))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub conditions: Vec<Condition>,
}

impl Check {
    pub fn parse(text: &str) -> Result<Check, String> {
        let mut conditions = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let rest = |from: usize| words.get(from..).map(|w| w.join(" ")).unwrap_or_default();
            let arg =
                |i: usize| words.get(i).map(|s| s.to_string()).ok_or_else(|| format!("`{line}` lacks an argument"));
            let number = |i: usize| -> Result<usize, String> {
                arg(i)?.parse().map_err(|_| format!("`{line}`: argument {i} must be a number"))
            };
            let condition = match words[0] {
                "ran" => Condition::Ran { host: arg(1)?, prefix: rest(2) },
                "clock_advanced" => Condition::ClockAdvanced {
                    seconds: arg(1)?.parse().map_err(|_| format!("`{line}`: seconds must be a number"))?,
                },
                "file" => Condition::File { host: arg(1)?, path: arg(2)? },
                "file_contains" => Condition::FileContains { host: arg(1)?, path: arg(2)?, text: rest(3) },
                "session_on" => Condition::SessionOn { host: arg(1)? },
                "access_keys" => Condition::AccessKeys {
                    user: arg(1)?,
                    at_least: arg(2)?.parse().map_err(|_| format!("`{line}`: count must be a number"))?,
                },
                "aws_credentials_valid" => Condition::AwsCredentialsValid { host: arg(1)? },
                "aws_region" => Condition::AwsRegion { host: arg(1)?, region: arg(2)? },
                "api_call" => {
                    let call = arg(2)?;
                    let (service, operation) =
                        call.split_once(':').ok_or_else(|| format!("`{line}`: write SERVICE:Operation"))?;
                    let ok = match arg(3)?.as_str() {
                        "ok" => true,
                        "failed" => false,
                        _ => return Err(format!("`{line}`: the outcome is ok or failed")),
                    };
                    let code = words.get(4).map(|s| s.to_string());
                    if ok && code.is_some() {
                        return Err(format!("`{line}`: only a failed call has an error code"));
                    }
                    Condition::ApiCall { host: arg(1)?, service: service.into(), operation: operation.into(), ok, code }
                }
                "dynamodb_table" => {
                    Condition::DynamoTable { table: arg(1)?, hash: arg(2)?, range: words.get(3).map(|s| s.to_string()) }
                }
                "dynamodb_items" => Condition::DynamoItems {
                    table: arg(1)?,
                    at_least: arg(2)?.parse().map_err(|_| format!("`{line}`: count must be a number"))?,
                },
                "dynamodb_item" => {
                    let (values, has) = item_spec(&rest(2))?;
                    Condition::DynamoItem { table: arg(1)?, values, has }
                }
                "dynamodb_index" => Condition::DynamoIndex {
                    table: arg(1)?,
                    index: arg(2)?,
                    status: words.get(3).map(|s| s.to_string()),
                },
                "dynamodb_item_absent" => {
                    let (values, _) = item_spec(&rest(2))?;
                    Condition::DynamoItemAbsent { table: arg(1)?, values }
                }
                "rds_instance" => Condition::RdsInstance { id: arg(1)?, status: words.get(2).map(|s| s.to_string()) },
                "rds_reachable" => Condition::RdsReachable { host: arg(1)?, id: arg(2)? },
                "rds_database" => Condition::RdsDatabase { id: arg(1)?, database: arg(2)? },
                "rds_rows" => {
                    let count = arg(4)?;
                    let exactly = count.starts_with('=');
                    Condition::RdsRows {
                        id: arg(1)?,
                        database: arg(2)?,
                        table: arg(3)?,
                        count: count
                            .trim_start_matches('=')
                            .parse()
                            .map_err(|_| format!("`{line}`: count must be a number or =number"))?,
                        exactly,
                    }
                }
                "rds_snapshot" => Condition::RdsSnapshot { id: arg(1)?, status: words.get(2).map(|s| s.to_string()) },
                "rds_standalone" => Condition::RdsStandalone { id: arg(1)? },
                "rds_multi_az" => Condition::RdsMultiAz { id: arg(1)? },
                "rds_failovers" => Condition::RdsFailovers {
                    id: arg(1)?,
                    at_least: arg(2)?.parse().map_err(|_| format!("`{line}`: count must be a number"))?,
                },
                "sql_table" => Condition::SqlTable {
                    host: arg(1)?,
                    flavour: arg(2)?,
                    database: arg(3)?,
                    table: arg(4)?,
                    at_least: arg(5)?.parse().map_err(|_| format!("`{line}`: count must be a number"))?,
                },
                "redis_key" => {
                    Condition::RedisKey { host: arg(1)?, key: arg(2)?, kind: words.get(3).map(|s| s.to_string()) }
                }
                "redis_value" => Condition::RedisValue { host: arg(1)?, key: arg(2)?, value: rest(3) },
                "redis_field" => Condition::RedisField {
                    host: arg(1)?,
                    key: arg(2)?,
                    field: arg(3)?,
                    value: (words.len() > 4).then(|| rest(4)),
                },
                "redis_missing" => Condition::RedisMissing { host: arg(1)?, key: arg(2)? },
                "redis_subscribers" => {
                    Condition::RedisSubscribers { host: arg(1)?, channel: arg(2)?, at_least: number(3)? }
                }
                "redis_delivered" => {
                    Condition::RedisDelivered { host: arg(1)?, channel: arg(2)?, at_least: number(3)? as u64 }
                }
                "redis_stream" => Condition::RedisStream { host: arg(1)?, key: arg(2)?, at_least: number(3)? },
                "redis_group" => Condition::RedisGroup {
                    host: arg(1)?,
                    key: arg(2)?,
                    group: arg(3)?,
                    read: if words.len() > 4 { number(4)? as u64 } else { 0 },
                    acked: if words.len() > 5 { number(5)? as u64 } else { 0 },
                },
                other => return Err(format!("unknown check `{other}`")),
            };
            conditions.push(condition);
        }
        if conditions.is_empty() {
            return Err("a check needs at least one condition".into());
        }
        Ok(Check { conditions })
    }

    pub fn passes(&self, lab: &Lab) -> bool {
        self.conditions.iter().all(|c| c.holds(lab))
    }
}

impl Condition {
    pub fn holds(&self, lab: &Lab) -> bool {
        match self {
            Condition::Ran { host, prefix } => lab
                .sessions
                .iter()
                .filter(|s| &s.host == host)
                .flat_map(|s| s.history.iter())
                .any(|line| line.trim_start().starts_with(prefix.as_str())),
            Condition::ClockAdvanced { seconds } => lab.now().since(lab.started).millis() >= seconds * 1000,
            Condition::File { host, path } => file_text(lab, host, path).is_some(),
            Condition::FileContains { host, path, text } => {
                file_text(lab, host, path).is_some_and(|t| t.contains(text.as_str()))
            }
            Condition::SessionOn { host } => lab.sessions.iter().any(|s| &s.host == host),
            Condition::AccessKeys { user, at_least } => {
                lab.cloud.iam.user(user).is_some_and(|u| u.access_keys.len() >= *at_least)
            }
            Condition::AwsCredentialsValid { host } => match resolved(lab, host).and_then(|r| r.credentials()) {
                Some(creds @ Credentials::AccessKey { .. }) => lab.cloud.authenticate(&creds).is_ok(),
                _ => false,
            },
            Condition::AwsRegion { host, region } => {
                resolved(lab, host).and_then(|r| r.region).is_some_and(|r| &r.value == region)
            }
            Condition::ApiCall { host, service, operation, ok, code } => lab.cloud.trail.calls.iter().any(|c| {
                &c.source == host
                    && &c.service == service
                    && &c.operation == operation
                    && c.error.is_none() == *ok
                    && code.as_ref().is_none_or(|want| c.error.as_ref() == Some(want))
            }),
            Condition::DynamoIndex { table, index, status } => dynamo_table(lab, table).is_some_and(|t| {
                t.indexes.iter().any(|i| i.global && &i.name == index && status.as_ref().is_none_or(|s| &i.status == s))
            }),
            Condition::DynamoTable { table, hash, range } => {
                dynamo_table(lab, table).is_some_and(|t| &t.key.hash == hash && t.key.range.as_ref() == range.as_ref())
            }
            Condition::DynamoItems { table, at_least } => {
                dynamo_table(lab, table).is_some_and(|t| t.items.len() >= *at_least)
            }
            Condition::DynamoItem { table, values, has } => dynamo_table(lab, table).is_some_and(|t| {
                t.items
                    .values()
                    .any(|item| item_matches(item, values) && has.as_ref().is_none_or(|h| item.contains_key(h)))
            }),
            Condition::DynamoItemAbsent { table, values } => {
                dynamo_table(lab, table).is_some_and(|t| !t.items.values().any(|item| item_matches(item, values)))
            }
            Condition::RdsInstance { id, status } => {
                lab.cloud.rds.instance(id).is_some_and(|i| status.as_ref().is_none_or(|s| &i.status == s))
            }
            Condition::RdsReachable { host, id } => {
                let (Some(h), Some(db)) = (lab.host(host), lab.cloud.rds.instance(id)) else { return false };
                // The address the host's DNS gives for the endpoint: public outside the VPC if any.
                let inside = h.kind == crate::shell::host::HostKind::Ec2;
                let ip = match (inside, db.public_ip) {
                    (false, Some(public)) => public,
                    _ => db.private_ip,
                };
                lab.cloud.reach(&h.source(), ip, db.port).outcome == crate::cloud::network::reach::Outcome::Connected
            }
            Condition::RdsDatabase { id, database } => {
                lab.cloud.rds.data_of(id).is_some_and(|d| d.primary.catalog.databases.contains_key(database))
            }
            Condition::RdsRows { id, database, table, count, exactly } => lab
                .cloud
                .rds
                .data_of(id)
                .and_then(|d| d.primary.catalog.table(database, table))
                .is_some_and(|t| if *exactly { t.rows.len() == *count } else { t.rows.len() >= *count }),
            Condition::RdsSnapshot { id, status } => lab
                .cloud
                .rds
                .snapshots
                .iter()
                .any(|s| &s.id == id && status.as_ref().is_none_or(|want| &s.status == want)),
            Condition::RdsMultiAz { id } => {
                lab.cloud.rds.instance(id).is_some_and(|i| i.multi_az && i.standby.is_some())
            }
            Condition::RdsFailovers { id, at_least } => {
                let done = lab
                    .cloud
                    .rds
                    .log
                    .events
                    .iter()
                    .filter(|e| &e.source == id && e.message.starts_with("Multi-AZ instance failover completed"));
                done.count() >= *at_least
            }
            Condition::RdsStandalone { id } => lab.cloud.rds.instance(id).is_some_and(|i| i.replica_source.is_none()),
            Condition::SqlTable { host, flavour, database, table, at_least } => lab
                .host(host)
                .and_then(|h| h.sql_servers.get(flavour))
                .and_then(|s| s.catalog.table(database, table))
                .is_some_and(|t| t.rows.len() >= *at_least),
            Condition::RedisKey { host, key, kind } => {
                redis_value(lab, host, key).is_some_and(|v| kind.as_ref().is_none_or(|k| k == v.type_name()))
            }
            Condition::RedisValue { host, key, value } => {
                matches!(redis_value(lab, host, key), Some(Value::Str(v)) if v == value.as_bytes())
            }
            Condition::RedisField { host, key, field, value } => match redis_value(lab, host, key) {
                Some(Value::Hash(h)) => match h.get(field.as_bytes()) {
                    Some(v) => value.as_ref().is_none_or(|want| v == want.as_bytes()),
                    None => false,
                },
                _ => false,
            },
            Condition::RedisMissing { host, key } => {
                lab.host(host).is_some_and(|h| h.redis.is_some()) && redis_value(lab, host, key).is_none()
            }
            Condition::RedisSubscribers { host, channel, at_least } => redis_server(lab, host)
                .is_some_and(|r| r.channels.get(channel.as_bytes()).is_some_and(|subs| subs.len() >= *at_least)),
            Condition::RedisDelivered { host, channel, at_least } => redis_server(lab, host)
                .is_some_and(|r| r.stats.delivered.get(channel.as_bytes()).is_some_and(|n| n >= at_least)),
            Condition::RedisStream { host, key, at_least } => {
                matches!(redis_value(lab, host, key), Some(Value::Stream(s)) if s.len() >= *at_least)
            }
            Condition::RedisGroup { host, key, group, read, acked } => match redis_value(lab, host, key) {
                Some(Value::Stream(s)) => s.groups.get(group.as_bytes()).is_some_and(|g| {
                    // Entries delivered to the group's consumers; those acknowledged left the PEL.
                    let delivered = s.entries_read_for(g).unwrap_or(g.pel.len() as u64);
                    delivered >= *read && delivered.saturating_sub(g.pel.len() as u64) >= *acked
                }),
                _ => false,
            },
        }
    }
}

fn dynamo_table<'a>(lab: &'a Lab, name: &str) -> Option<&'a crate::engines::dynamo::table::Table> {
    lab.cloud.dynamodb.as_ref()?.tables.get(name)
}

/// Whether the item's attributes have these values (strings as they are, numbers by value).
fn item_matches(item: &crate::engines::dynamo::value::Item, values: &[(String, String)]) -> bool {
    use crate::engines::dynamo::number::Number;
    use crate::engines::dynamo::value::AttrValue;
    values.iter().all(|(k, v)| match item.get(k) {
        Some(AttrValue::S(s)) => s == v,
        Some(AttrValue::N(n)) => Number::parse(v).is_ok_and(|w| &w == n),
        _ => false,
    })
}

/// The Redis running on `host` (its default server).
fn redis_server<'a>(lab: &'a Lab, host: &str) -> Option<&'a crate::engines::cache::Cache> {
    lab.host(host)?.redis.as_deref()
}

/// The value of `key` in database 0 of the Redis running on `host`.
fn redis_value<'a>(lab: &'a Lab, host: &str, key: &str) -> Option<&'a Value> {
    redis_server(lab, host)?.peek(0, key.as_bytes(), lab.now().0)
}

fn file_text<'a>(lab: &'a Lab, host: &str, path: &str) -> Option<&'a str> {
    let h = lab.host(host)?;
    let full = match path.strip_prefix('~') {
        Some(rest) => format!("{}{rest}", h.home),
        None => path.to_string(),
    };
    h.fs.read(&full).ok()
}

/// What the CLI on `host` would resolve in a new shell (or in the host's first open session).
fn resolved(lab: &Lab, host: &str) -> Option<config::Resolved> {
    let h = lab.host(host)?;
    let env = lab.sessions.iter().find(|s| s.host == host).map(|s| s.env.clone()).unwrap_or_else(|| h.env.clone());
    config::resolve_on(h, &env, None, None, None).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Timestamp;

    #[test]
    fn parses_and_rejects() {
        let c = Check::parse("file laptop ~/a.txt\napi_call laptop sts:GetCallerIdentity ok").unwrap();
        assert_eq!(c.conditions.len(), 2);
        assert!(Check::parse("nonsense here").is_err());
        assert!(Check::parse("").is_err());
        assert!(Check::parse("api_call laptop sts ok").is_err());
    }

    #[test]
    fn dynamodb_checks_look_at_tables_and_items() {
        let mut lab = Lab::new(3, Timestamp(0));
        let cs = lab.open_session("cloudshell").unwrap();
        let table = Check::parse("dynamodb_table Music Artist SongTitle").unwrap();
        let item = Check::parse("dynamodb_item Music Artist=Acme;SongTitle=Sun Rise has Year").unwrap();
        let gone = Check::parse("dynamodb_item_absent Music Artist=Acme;SongTitle=Sun Rise").unwrap();
        assert!(!table.passes(&lab) && !item.passes(&lab) && !gone.passes(&lab));
        lab.exec(cs, "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST");
        lab.exec(cs, "sleep 20");
        assert!(table.passes(&lab) && gone.passes(&lab));
        lab.exec(cs, r#"aws dynamodb put-item --table-name Music --item '{"Artist":{"S":"Acme"},"SongTitle":{"S":"Sun Rise"},"Year":{"N":"2001.0"}}'"#);
        assert!(item.passes(&lab) && !gone.passes(&lab));
        assert!(Check::parse("dynamodb_item Music Year=2001").unwrap().passes(&lab));
        assert!(Check::parse("dynamodb_items Music 1").unwrap().passes(&lab));
        assert!(!Check::parse("dynamodb_items Music 2").unwrap().passes(&lab));
        assert!(Check::parse("dynamodb_item Music").is_err());
    }

    #[test]
    fn conditions_follow_the_state_not_the_keystrokes() {
        let mut lab = Lab::new(3, Timestamp(0));
        let check = Check::parse("file laptop ~/notes/todo.txt").unwrap();
        assert!(!check.passes(&lab));
        lab.exec(1, "mkdir notes; touch notes/todo.txt");
        assert!(check.passes(&lab));
        let clock = Check::parse("clock_advanced 300").unwrap();
        lab.exec(1, "sleep 4m");
        assert!(!clock.passes(&lab));
        lab.advance(crate::cloud::time::Duration::from_secs(60));
        assert!(clock.passes(&lab));
    }

    #[test]
    fn redis_checks_follow_channels_streams_and_groups() {
        let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
        let subscribed = Check::parse("redis_subscribers laptop news 1").unwrap();
        let delivered = Check::parse("redis_delivered laptop news 1").unwrap();
        let stream = Check::parse("redis_stream laptop s 2").unwrap();
        let read = Check::parse("redis_group laptop s g 2").unwrap();
        let acked = Check::parse("redis_group laptop s g 2 1").unwrap();
        let all = [&subscribed, &delivered, &stream, &read, &acked];
        assert!(all.iter().all(|c| !c.passes(&lab)));
        let listener = lab.open_session("laptop").unwrap();
        lab.exec(1, "redis-cli PUBLISH news early");
        assert!(!delivered.passes(&lab), "a message nobody received does not count");
        lab.exec(listener, "redis-cli");
        lab.exec(listener, "SUBSCRIBE news");
        assert!(subscribed.passes(&lab) && !delivered.passes(&lab));
        lab.exec(1, "redis-cli PUBLISH news hello");
        assert!(delivered.passes(&lab));
        lab.exec(1, "redis-cli XADD s 1-1 a 1");
        lab.exec(1, "redis-cli XADD s 1-2 a 2");
        lab.exec(1, "redis-cli XGROUP CREATE s g 0");
        assert!(stream.passes(&lab) && !read.passes(&lab));
        lab.exec(1, "redis-cli XREADGROUP GROUP g c STREAMS s '>'");
        assert!(read.passes(&lab) && !acked.passes(&lab));
        lab.exec(1, "redis-cli XACK s g 1-1");
        assert!(acked.passes(&lab));
        assert!(Check::parse("redis_group laptop s g x").is_err());
    }
}
