//! Step checks: conditions on the lab's state, one per line, all of which must hold.
//!
//! | condition                                   | holds when                                        |
//! |---------------------------------------------|---------------------------------------------------|
//! | `ran HOST WORDS...`                         | a session on HOST ran a line starting with WORDS |
//! | `clock_advanced SECONDS`                    | the lab's clock moved at least that far           |
//! | `file HOST PATH`                            | the file exists on HOST (`~` is the home)         |
//! | `file_contains HOST PATH TEXT...`           | and contains TEXT                                 |
//! | `session_on HOST`                           | a terminal is open on HOST                        |
//! | `output HOST TEXT...`                       | a terminal opened on HOST shows TEXT in its scrollback |
//! | `access_keys USER N`                        | the IAM user has at least N access keys           |
//! | `aws_credentials_valid HOST`                | the CLI on HOST finds a key that IAM accepts      |
//! | `aws_region HOST REGION`                    | the CLI on HOST resolves that region              |
//! | `api_call HOST SERVICE:Operation ok|failed [CODE]` | HOST made such a call, with that outcome (error CODE) |
//! | `dynamodb_table TABLE HASH [RANGE]`         | the table exists with that key schema             |
//! | `dynamodb_items TABLE N`                    | the table holds at least N items                  |
//! | `dynamodb_item TABLE A=V[;B=W] [has ATTR]`  | an item with those key values exists (with ATTR)  |
//! | `dynamodb_item_absent TABLE A=V[;B=W]`      | no item with those key values exists              |
//! | `dynamodb_index TABLE INDEX [STATUS]`       | the table has that global index (in that status)  |
//! | `dynamodb_billing TABLE MODE`               | the table bills PROVISIONED or PAY_PER_REQUEST    |
//! | `rds_instance ID [STATUS]`                  | the RDS instance exists (in that status)          |
//! | `rds_reachable HOST ID`                     | HOST can connect to the instance's endpoint       |
//! | `rds_private ID`                            | the instance has no public address, in a private subnet |
//! | `rds_ingress_by_group ID`                   | its port is open only to security groups, another one among them |
//! | `rds_database ID DB`                        | the instance's server holds database DB           |
//! | `rds_rows ID DB TABLE N` / `=N`             | the instance's (or Aurora cluster's) DB.TABLE has N+ rows / exactly N |
//! | `rds_snapshot ID [STATUS]`                  | the DB snapshot exists (in that status)           |
//! | `rds_multi_az ID`                           | the instance runs with a Multi-AZ standby         |
//! | `rds_failovers ID N`                        | the instance completed N+ Multi-AZ failovers      |
//! | `rds_standalone ID`                         | instance ID exists and is no read replica         |
//! | `rds_cluster ID [STATUS]`                   | the Aurora cluster exists (in that status)        |
//! | `rds_cluster_readers ID N`                  | the cluster has N+ available readers (and a writer) |
//! | `rds_cluster_failovers ID N`                | the cluster completed N+ failovers                |
//! | `vpc [CIDR]`                                | a VPC other than the default exists (with that range) |
//! | `subnets public|private|any N`              | such subnets of non-default VPCs span N+ zones    |
//! | `db_subnet_group NAME [private]`            | the DB subnet group exists (of private subnets only) |
//! | `sql_table HOST mysql|postgres DB TABLE N`  | HOST's local server has DB.TABLE with N+ rows     |
//! | `redis_key HOST KEY [TYPE]`                 | HOST's Redis has KEY in db 0 (of that TYPE)       |
//! | `redis_value HOST KEY VALUE...`             | and KEY is the string VALUE                       |
//! | `redis_field HOST KEY FIELD [VALUE...]`     | and KEY is a hash with FIELD (set to VALUE)       |
//! | `redis_missing HOST KEY`                    | HOST runs Redis and KEY is not (or no longer) in db 0 |
//! | `redis_subscribers HOST CHANNEL N`          | HOST's Redis has N+ connections subscribed to CHANNEL |
//! | `redis_delivered HOST CHANNEL N`            | N+ messages published on CHANNEL reached a subscriber |
//! | `redis_stream HOST KEY N`                   | KEY is a stream of N+ entries (db 0)              |
//! | `redis_group HOST KEY GROUP [READ [ACKED]]` | the stream KEY has consumer group GROUP, which was delivered READ+ entries and acknowledged ACKED+ of them |
//! | `not CONDITION`                             | the condition does not hold                       |
//!
//! A HOST may be an EC2 instance's Name tag (`app`) as well as `laptop` or `cloudshell`.
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
    /// A terminal opened on HOST (wherever `ssh` took it since) has shown TEXT.
    Output {
        host: String,
        text: String,
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
    /// The table is in this billing mode: PROVISIONED or PAY_PER_REQUEST.
    DynamoBilling {
        table: String,
        on_demand: bool,
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
    /// Not publicly accessible, no public address, placed in a private subnet.
    RdsPrivate {
        id: String,
    },
    /// Every rule letting the instance's port in names a source group (no address ranges), and
    /// one of them a group the instance is not in itself.
    RdsIngressByGroup {
        id: String,
    },
    RdsCluster {
        id: String,
        status: Option<String>,
    },
    RdsClusterReaders {
        id: String,
        at_least: usize,
    },
    RdsClusterFailovers {
        id: String,
        at_least: usize,
    },
    /// A VPC other than the default, with that CIDR block if one is named.
    Vpc {
        cidr: Option<String>,
    },
    /// Subnets of VPCs other than the default, of a kind (`public`, `private`, `any`), spanning
    /// that many availability zones.
    Subnets {
        kind: String,
        zones: usize,
    },
    DbSubnetGroup {
        name: String,
        private: bool,
    },
    Not(Box<Condition>),
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
    /// An ElastiCache replication group, in that status if one is named.
    CacheGroup {
        id: String,
        status: Option<String>,
    },
    /// At least this many nodes in the group, and (in cluster mode) at least this many shards.
    CacheNodes {
        id: String,
        at_least: usize,
    },
    CacheShards {
        id: String,
        at_least: usize,
    },
    /// A string key's value on the group's primary that owns the key.
    CacheValue {
        id: String,
        key: String,
        value: String,
    },
    /// The host can open a connection to the group's primary (or first shard's primary).
    CacheReachable {
        host: String,
        id: String,
    },
    /// Completed failovers of the group.
    CacheFailovers {
        id: String,
        at_least: usize,
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
        let conditions: Vec<Condition> =
            text.lines().map(str::trim).filter(|l| !l.is_empty()).map(Condition::parse).collect::<Result<_, _>>()?;
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
    /// One line of a check.
    pub fn parse(line: &str) -> Result<Condition, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let rest = |from: usize| words.get(from..).map(|w| w.join(" ")).unwrap_or_default();
        let arg = |i: usize| words.get(i).map(|s| s.to_string()).ok_or_else(|| format!("`{line}` lacks an argument"));
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
            "output" if words.len() > 2 => Condition::Output { host: arg(1)?, text: rest(2) },
            "output" => return Err(format!("`{line}`: write output HOST TEXT")),
            "not" if words.len() > 1 => Condition::Not(Box::new(Condition::parse(&rest(1))?)),
            "not" => return Err(format!("`{line}`: not what?")),
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
            "dynamodb_index" => {
                Condition::DynamoIndex { table: arg(1)?, index: arg(2)?, status: words.get(3).map(|s| s.to_string()) }
            }
            "dynamodb_billing" => Condition::DynamoBilling {
                table: arg(1)?,
                on_demand: match arg(2)?.as_str() {
                    "PAY_PER_REQUEST" => true,
                    "PROVISIONED" => false,
                    _ => return Err(format!("`{line}`: the mode is PROVISIONED or PAY_PER_REQUEST")),
                },
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
            "rds_private" => Condition::RdsPrivate { id: arg(1)? },
            "rds_ingress_by_group" => Condition::RdsIngressByGroup { id: arg(1)? },
            "rds_cluster" => Condition::RdsCluster { id: arg(1)?, status: words.get(2).map(|s| s.to_string()) },
            "rds_cluster_readers" => Condition::RdsClusterReaders { id: arg(1)?, at_least: number(2)? },
            "rds_cluster_failovers" => Condition::RdsClusterFailovers { id: arg(1)?, at_least: number(2)? },
            "vpc" => Condition::Vpc { cidr: words.get(1).map(|s| s.to_string()) },
            "subnets" => {
                let kind = arg(1)?;
                if !["public", "private", "any"].contains(&kind.as_str()) {
                    return Err(format!("`{line}`: subnets are public, private or any"));
                }
                Condition::Subnets { kind, zones: number(2)? }
            }
            "db_subnet_group" => {
                let private = match words.get(2) {
                    None => false,
                    Some(&"private") => true,
                    Some(_) => return Err(format!("`{line}`: the only qualifier is `private`")),
                };
                Condition::DbSubnetGroup { name: arg(1)?, private }
            }
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
            "cache_group" => Condition::CacheGroup { id: arg(1)?, status: words.get(2).map(|s| s.to_string()) },
            "cache_nodes" => Condition::CacheNodes { id: arg(1)?, at_least: number(2)? },
            "cache_shards" => Condition::CacheShards { id: arg(1)?, at_least: number(2)? },
            "cache_value" => Condition::CacheValue { id: arg(1)?, key: arg(2)?, value: rest(3) },
            "cache_failovers" => Condition::CacheFailovers { id: arg(1)?, at_least: number(2)? },
            "cache_reachable" => Condition::CacheReachable { host: arg(1)?, id: arg(2)? },
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
        Ok(condition)
    }

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
            Condition::SessionOn { host } => {
                let name = lab.host_named(host).map_or(host.as_str(), |h| h.name.as_str());
                lab.sessions.iter().any(|s| s.host == name)
            }
            Condition::Output { host, text } => lab
                .sessions
                .iter()
                .filter(|s| s.ssh_stack.first().map_or(&s.host, |back| &back.host) == host)
                .flat_map(|s| s.transcript.iter())
                .any(|line| matches!(line, crate::shell::session::Line::Output(out) if out.contains(text.as_str()))),
            Condition::Not(inner) => !inner.holds(lab),
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
            Condition::DynamoBilling { table, on_demand } => {
                dynamo_table(lab, table).is_some_and(|t| t.pay_per_request == *on_demand)
            }
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
                let (Some(h), Some(db)) = (lab.host_named(host), lab.cloud.rds.instance(id)) else { return false };
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
                .or_else(|| lab.cloud.rds.data.get(&crate::cloud::rds::cluster::volume_key(id)))
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
            Condition::RdsPrivate { id } => lab.cloud.rds.instance(id).is_some_and(|i| {
                let net = &lab.cloud.network;
                !i.publicly_accessible
                    && i.public_ip.is_none()
                    && net.subnet(&i.subnet_id).is_some_and(|s| !net.is_public_subnet(s))
            }),
            Condition::RdsIngressByGroup { id } => lab.cloud.rds.instance(id).is_some_and(|i| {
                use crate::cloud::network::security::Source;
                let port = i.port as i64;
                let rules: Vec<_> = i
                    .security_groups
                    .iter()
                    .filter_map(|g| lab.cloud.network.security_group(g))
                    .flat_map(|g| g.ingress.iter())
                    .filter(|r| {
                        r.protocol == "-1" || (r.protocol == "tcp" && (r.from_port..=r.to_port).contains(&port))
                    })
                    .collect();
                rules.iter().all(|r| matches!(r.source, Source::Group(_)))
                    && rules.iter().any(|r| matches!(&r.source, Source::Group(g) if !i.security_groups.contains(g)))
            }),
            Condition::RdsCluster { id, status } => {
                lab.cloud.rds.cluster(id).is_some_and(|c| status.as_ref().is_none_or(|s| &c.status == s))
            }
            Condition::RdsClusterReaders { id, at_least } => {
                let rds = &lab.cloud.rds;
                let writer = crate::cloud::rds::cluster::writer(rds, id);
                let readers = rds
                    .instances
                    .iter()
                    .filter(|i| i.cluster.as_deref() == Some(id.as_str()) && i.status == "available")
                    .filter(|i| writer.as_ref() != Some(&i.id))
                    .count();
                writer.is_some() && readers >= *at_least
            }
            Condition::RdsClusterFailovers { id, at_least } => {
                let done = lab.cloud.rds.log.events.iter().filter(|e| {
                    &e.source == id && e.source_type == "db-cluster" && e.message.starts_with("Completed failover")
                });
                done.count() >= *at_least
            }
            Condition::Vpc { cidr } => lab
                .cloud
                .network
                .vpcs
                .iter()
                .any(|v| !v.is_default && cidr.as_ref().is_none_or(|c| &v.cidr.to_string() == c)),
            Condition::Subnets { kind, zones } => {
                let net = &lab.cloud.network;
                let mut covered: Vec<&str> = net
                    .subnets
                    .iter()
                    .filter(|s| net.vpc(&s.vpc_id).is_some_and(|v| !v.is_default))
                    .filter(|s| match kind.as_str() {
                        "public" => net.is_public_subnet(s),
                        "private" => !net.is_public_subnet(s),
                        _ => true,
                    })
                    .map(|s| s.zone.as_str())
                    .collect();
                covered.sort();
                covered.dedup();
                covered.len() >= *zones
            }
            Condition::DbSubnetGroup { name, private } => {
                let net = &lab.cloud.network;
                lab.cloud.rds.subnet_groups.iter().any(|g| {
                    &g.name == name
                        && (!private
                            || g.subnet_ids.iter().all(|id| net.subnet(id).is_some_and(|s| !net.is_public_subnet(s))))
                })
            }
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
            Condition::CacheGroup { id, status } => {
                lab.cloud.elasticache.group(id).is_some_and(|g| status.as_ref().is_none_or(|s| &g.status == s))
            }
            Condition::CacheNodes { id, at_least } => {
                lab.cloud.elasticache.nodes.iter().filter(|n| n.group.as_deref() == Some(id.as_str())).count()
                    >= *at_least
            }
            Condition::CacheShards { id, at_least } => {
                lab.cloud.elasticache.group(id).is_some_and(|g| g.cluster_mode && g.shards >= *at_least)
            }
            Condition::CacheValue { id, key, value } => {
                let cache = &lab.cloud.elasticache;
                let owner = cache.group(id).and_then(|g| {
                    let slot = crate::engines::cache::cluster::key_slot(key.as_bytes());
                    let shard = g.slots.iter().position(|&(a, b)| (a..=b).contains(&slot)).unwrap_or(0);
                    cache.primary_of(id, if g.cluster_mode { shard } else { 0 })
                });
                let stored =
                    owner.and_then(|n| cache.servers.get(&n.id)).and_then(|s| s.peek(0, key.as_bytes(), lab.now().0));
                matches!(stored, Some(Value::Str(v)) if v == value.as_bytes())
            }
            Condition::CacheReachable { host, id } => {
                let (Some(h), Some(primary)) = (lab.host_named(host), lab.cloud.elasticache.primary_of(id, 0)) else {
                    return false;
                };
                lab.cloud.reach(&h.source(), primary.private_ip, primary.port).outcome
                    == crate::cloud::network::reach::Outcome::Connected
            }
            Condition::CacheFailovers { id, at_least } => {
                let done = lab.cloud.elasticache.log.events.iter().filter(|e| {
                    &e.source == id && e.source_type == "replication-group" && e.message.starts_with("Failover from")
                });
                done.count() >= *at_least
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
    fn network_checks_tell_private_from_public_and_groups_from_addresses() {
        let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
        let cs = lab.open_session("cloudshell").unwrap();
        let holds = |lab: &Lab, check: &str| Check::parse(check).unwrap().passes(lab);
        assert!(!holds(&lab, "vpc") && !holds(&lab, "subnets any 1"), "the default VPC does not count");
        lab.exec(cs, "VPC=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)");
        assert!(holds(&lab, "vpc") && holds(&lab, "vpc 10.0.0.0/16") && !holds(&lab, "vpc 10.1.0.0/16"));
        lab.exec(cs, "PUB=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)");
        lab.exec(cs, "A=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.11.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)");
        assert!(holds(&lab, "subnets any 1") && !holds(&lab, "subnets any 2"), "two subnets, one zone");
        lab.exec(cs, "B=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.12.0/24 --availability-zone us-east-1b --query Subnet.SubnetId --output text)");
        assert!(holds(&lab, "subnets private 2") && !holds(&lab, "subnets public 1"));
        lab.exec(cs, "aws rds create-db-subnet-group --db-subnet-group-name mixed --db-subnet-group-description x --subnet-ids $PUB $B");
        lab.exec(cs, "IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)");
        lab.exec(cs, "aws ec2 attach-internet-gateway --internet-gateway-id $IGW --vpc-id $VPC");
        lab.exec(cs, "RTB=$(aws ec2 create-route-table --vpc-id $VPC --query RouteTable.RouteTableId --output text)");
        lab.exec(cs, "aws ec2 create-route --route-table-id $RTB --destination-cidr-block 0.0.0.0/0 --gateway-id $IGW");
        assert!(!holds(&lab, "subnets public 1"), "a route table no subnet uses changes nothing");
        lab.exec(cs, "aws ec2 associate-route-table --route-table-id $RTB --subnet-id $PUB");
        assert!(
            holds(&lab, "subnets public 1") && holds(&lab, "subnets private 2") && !holds(&lab, "subnets public 2")
        );
        assert!(holds(&lab, "db_subnet_group mixed") && !holds(&lab, "db_subnet_group mixed private"));
        lab.exec(cs, "aws rds create-db-subnet-group --db-subnet-group-name lab-db --db-subnet-group-description x --subnet-ids $A $B");
        assert!(holds(&lab, "db_subnet_group lab-db private") && !holds(&lab, "db_subnet_group nope"));

        lab.exec(cs, "APP=$(aws ec2 create-security-group --group-name app --description app --vpc-id $VPC --query GroupId --output text)");
        lab.exec(cs, "DB=$(aws ec2 create-security-group --group-name db --description db --vpc-id $VPC --query GroupId --output text)");
        lab.exec(
            cs,
            "aws ec2 authorize-security-group-ingress --group-id $APP --protocol tcp --port 22 --cidr 203.0.113.10/32",
        );
        lab.exec(cs, "aws rds create-db-instance --db-instance-identifier private-db --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password Lab-pass-123 --db-subnet-group-name lab-db --vpc-security-group-ids $DB");
        lab.exec(cs, "aws rds create-db-instance --db-instance-identifier open-db --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password Lab-pass-123 --db-subnet-group-name mixed --vpc-security-group-ids $DB --publicly-accessible");
        lab.exec(cs, "aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro --subnet-id $PUB --security-group-ids $APP --associate-public-ip-address --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=app}]'");
        lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier private-db");
        lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier open-db");
        assert!(holds(&lab, "rds_private private-db") && !holds(&lab, "rds_private open-db"));
        assert!(!holds(&lab, "rds_ingress_by_group private-db"), "no rule yet");
        assert!(!holds(&lab, "rds_reachable app private-db") && holds(&lab, "not rds_reachable laptop private-db"));
        lab.exec(
            cs,
            "aws ec2 authorize-security-group-ingress --group-id $DB --protocol tcp --port 3306 --source-group $APP",
        );
        assert!(holds(&lab, "rds_ingress_by_group private-db") && holds(&lab, "rds_reachable app private-db"));
        assert!(holds(&lab, "not rds_reachable laptop private-db") && !holds(&lab, "rds_reachable nobody private-db"));
        lab.exec(
            cs,
            "aws ec2 authorize-security-group-ingress --group-id $DB --protocol tcp --port 3306 --cidr 10.0.0.0/16",
        );
        assert!(!holds(&lab, "rds_ingress_by_group private-db"), "an address range is more than the app's group");
        lab.exec(
            cs,
            "aws ec2 revoke-security-group-ingress --group-id $DB --protocol tcp --port 3306 --cidr 10.0.0.0/16",
        );
        assert!(holds(&lab, "rds_ingress_by_group private-db"));

        let shown = Check::parse("output laptop Connection to").unwrap();
        let ip = lab.cloud.network.instances[0].public_ip.unwrap().to_string();
        lab.exec(1, &format!("ssh ec2-user@{ip}"));
        assert!(holds(&lab, "session_on app") && !shown.passes(&lab));
        lab.exec(1, "exit");
        assert!(
            shown.passes(&lab) && !holds(&lab, "output cloudshell Connection to") && !holds(&lab, "session_on app")
        );
        assert!(Check::parse("not").is_err() && Check::parse("output laptop").is_err());
        assert!(Check::parse("subnets secret 2").is_err() && Check::parse("db_subnet_group g public").is_err());
    }

    #[test]
    fn aurora_checks_follow_the_cluster_its_readers_and_failovers() {
        let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
        let cs = lab.open_session("cloudshell").unwrap();
        let holds = |lab: &Lab, check: &str| Check::parse(check).unwrap().passes(lab);
        assert!(!holds(&lab, "rds_cluster shop"));
        lab.exec(cs, "aws rds create-db-cluster --db-cluster-identifier shop --engine aurora-mysql --master-username admin --master-user-password Lab-pass-123");
        assert!(holds(&lab, "rds_cluster shop") && !holds(&lab, "rds_cluster shop available"));
        lab.exec(cs, "aws rds create-db-instance --db-instance-identifier shop-1 --db-cluster-identifier shop --engine aurora-mysql --db-instance-class db.r6g.large");
        lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-1");
        assert!(holds(&lab, "rds_cluster shop available") && holds(&lab, "rds_cluster_readers shop 0"));
        assert!(!holds(&lab, "rds_cluster_readers shop 1"), "a writer alone has no reader");
        lab.exec(cs, "aws rds create-db-instance --db-instance-identifier shop-2 --db-cluster-identifier shop --engine aurora-mysql --db-instance-class db.r6g.large");
        assert!(!holds(&lab, "rds_cluster_readers shop 1"), "a reader being created does not count");
        lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-2");
        assert!(holds(&lab, "rds_cluster_readers shop 1"));
        // Rows written through the cluster endpoint live on the cluster volume.
        lab.exec(
            cs,
            "aws rds modify-db-instance --db-instance-identifier shop-1 --publicly-accessible --apply-immediately",
        );
        lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-1");
        lab.exec(cs, "SG=$(aws rds describe-db-clusters --query 'DBClusters[0].VpcSecurityGroups[0].VpcSecurityGroupId' --output text)");
        lab.exec(
            cs,
            "aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 3306 --cidr 203.0.113.10/32",
        );
        let endpoint = lab.cloud.rds.cluster("shop").unwrap().endpoint(&lab.cloud.rds.endpoint_suffix);
        assert!(!holds(&lab, "rds_rows shop s t 1"));
        lab.exec(1, &format!("mysql -h {endpoint} -u admin -pLab-pass-123 -e 'CREATE DATABASE s; CREATE TABLE s.t (id INT); INSERT INTO s.t VALUES (1)'"));
        assert!(holds(&lab, "rds_rows shop s t =1") && !holds(&lab, "rds_rows shop s t 2"));
        assert!(!holds(&lab, "rds_cluster_failovers shop 1"));
        lab.exec(cs, "aws rds failover-db-cluster --db-cluster-identifier shop");
        assert!(!holds(&lab, "rds_cluster_failovers shop 1"), "started is not completed");
        lab.exec(cs, "aws rds wait db-cluster-available --db-cluster-identifier shop");
        assert!(holds(&lab, "rds_cluster_failovers shop 1") && !holds(&lab, "rds_cluster_failovers shop 2"));
        assert!(holds(&lab, "rds_cluster_readers shop 1"), "the old writer is the reader now");
    }

    #[test]
    fn cache_checks_follow_the_group_its_data_and_failovers() {
        let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
        let cs = lab.open_session("cloudshell").unwrap();
        let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
        assert!(!holds(&lab, "cache_group web"));
        lab.exec(cs, "aws elasticache create-replication-group --replication-group-id web --replication-group-description w --num-cache-clusters 2 --automatic-failover-enabled");
        assert!(holds(&lab, "cache_group web creating"));
        assert!(holds(&lab, "cache_nodes web 2"));
        assert!(!holds(&lab, "cache_nodes web 3"));
        assert!(!holds(&lab, "cache_shards web 1"));
        lab.exec(cs, "aws elasticache wait replication-group-available --replication-group-id web");
        assert!(holds(&lab, "cache_group web available"));
        assert!(!holds(&lab, "cache_reachable laptop web"), "caches have no public address");
        assert!(!holds(&lab, "cache_value web greeting hello world"));
        let primary = lab.cloud.elasticache.primary_of("web", 0).unwrap().id.clone();
        let now = lab.now().0;
        let server = lab.cloud.elasticache.servers.get_mut(&primary).unwrap();
        let client = server.connect();
        server.call(client, &[b"SET".to_vec(), b"greeting".to_vec(), b"hello world".to_vec()], now);
        assert!(holds(&lab, "cache_value web greeting hello world"));
        assert!(!holds(&lab, "cache_failovers web 1"));
        lab.exec(cs, "sleep 1");
        lab.exec(cs, "aws elasticache test-failover --replication-group-id web --node-group-id 0001");
        lab.exec(cs, "sleep 90");
        assert!(holds(&lab, "cache_failovers web 1"));
        assert!(holds(&lab, "cache_value web greeting hello world"), "the replica had it and now serves it");
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
