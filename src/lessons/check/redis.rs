//! Conditions on the Redis data of the lab's hosts (the server `redis-cli` reaches on
//! `127.0.0.1`): strings, hashes, pub/sub channels, streams and consumer
//! groups. Keys are looked up in database 0, as `redis-cli` starts in it.
//!
//! The same conditions look at an ElastiCache replication group's data when HOST reads
//! `cache:ID` ([`CACHE_PREFIX`]): a key on the primary of the shard that owns it, a channel on
//! any of the group's nodes (a subscriber listens on the node it connected to).

use super::{test, Args, Entry, Test};
use crate::engines::cache::keyspace::Value;
use crate::engines::cache::Cache;
use crate::shell::Lab;

/// A HOST argument naming an ElastiCache replication group: `cache:sessions`.
pub const CACHE_PREFIX: &str = "cache:";

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "redis_expired",
        usage: "HOST KEY",
        holds_when:
            "KEY on HOST's Redis ran out of time: it had a TTL and is gone for that reason (however the TTL was set)",
        parse: expired,
    },
    Entry {
        name: "redis_value",
        usage: "HOST KEY VALUE...",
        holds_when: "HOST's Redis holds the string VALUE under KEY",
        parse: string_value,
    },
    Entry {
        name: "redis_field",
        usage: "HOST KEY FIELD [VALUE...]",
        holds_when: "KEY on HOST's Redis is a hash with FIELD (set to VALUE)",
        parse: field,
    },
    Entry {
        name: "redis_subscribers",
        usage: "HOST CHANNEL N",
        holds_when: "HOST's Redis has N+ connections subscribed to CHANNEL",
        parse: subscribers,
    },
    Entry {
        name: "redis_delivered",
        usage: "HOST CHANNEL N",
        holds_when: "N+ messages published on CHANNEL of HOST's Redis reached a subscriber",
        parse: delivered,
    },
    Entry {
        name: "redis_stream",
        usage: "HOST KEY N",
        holds_when: "KEY on HOST's Redis is a stream of N+ entries",
        parse: stream,
    },
    Entry {
        name: "redis_group",
        usage: "HOST KEY GROUP [READ [ACKED]]",
        holds_when:
            "the stream KEY has consumer group GROUP, which was delivered READ+ entries and acknowledged ACKED+ of them",
        parse: group,
    },
    Entry {
        name: "redis_pending",
        usage: "HOST KEY GROUP N",
        holds_when: "the stream KEY has consumer group GROUP with at most N entries delivered and not acknowledged",
        parse: pending,
    },
];

fn string_value(args: &Args) -> Result<Test, String> {
    let (host, key, value) = (args.word(0)?, args.word(1)?, args.rest(2));
    test(move |lab| matches!(redis_value(lab, &host, &key), Some(Value::Str(v)) if v == value.as_bytes()))
}

fn field(args: &Args) -> Result<Test, String> {
    let (host, key, field) = (args.word(0)?, args.word(1)?, args.word(2)?);
    let value = Some(args.rest(3)).filter(|v| !v.is_empty());
    test(move |lab| match redis_value(lab, &host, &key) {
        Some(Value::Hash(h)) => {
            h.get(field.as_bytes()).is_some_and(|v| value.as_ref().is_none_or(|w| v == w.as_bytes()))
        }
        _ => false,
    })
}

fn expired(args: &Args) -> Result<Test, String> {
    let (host, key) = (args.word(0)?, args.word(1)?);
    test(move |lab| redis_server(lab, &host, &key).is_some_and(|r| r.expired(0, key.as_bytes(), lab.now().0)))
}

fn subscribers(args: &Args) -> Result<Test, String> {
    let (host, channel, at_least): (String, String, usize) = (args.word(0)?, args.word(1)?, args.number(2)?);
    test(move |lab| {
        let mut servers = channel_servers(lab, &host).into_iter();
        servers.any(|r| r.channels.get(channel.as_bytes()).is_some_and(|subs| subs.len() >= at_least))
    })
}

fn delivered(args: &Args) -> Result<Test, String> {
    let (host, channel, at_least): (String, String, u64) = (args.word(0)?, args.word(1)?, args.number(2)?);
    test(move |lab| {
        let servers = channel_servers(lab, &host).into_iter();
        servers.filter_map(|r| r.stats.delivered.get(channel.as_bytes())).sum::<u64>() >= at_least
    })
}

fn stream(args: &Args) -> Result<Test, String> {
    let (host, key, at_least): (String, String, usize) = (args.word(0)?, args.word(1)?, args.number(2)?);
    test(move |lab| matches!(redis_value(lab, &host, &key), Some(Value::Stream(s)) if s.len() >= at_least))
}

fn group(args: &Args) -> Result<Test, String> {
    let (host, key, group) = (args.word(0)?, args.word(1)?, args.word(2)?);
    let (read, acked): (u64, u64) = (args.number_or(3, 0)?, args.number_or(4, 0)?);
    test(move |lab| match redis_value(lab, &host, &key) {
        Some(Value::Stream(s)) => s.groups.get(group.as_bytes()).is_some_and(|g| {
            // Entries delivered to the group's consumers; those acknowledged left the PEL.
            let delivered = s.entries_read_for(g).unwrap_or(g.pel.len() as u64);
            delivered >= read && delivered.saturating_sub(g.pel.len() as u64) >= acked
        }),
        _ => false,
    })
}

fn pending(args: &Args) -> Result<Test, String> {
    let (host, key, group, at_most): (String, String, String, usize) =
        (args.word(0)?, args.word(1)?, args.word(2)?, args.number(3)?);
    test(move |lab| match redis_value(lab, &host, &key) {
        Some(Value::Stream(s)) => s.groups.get(group.as_bytes()).is_some_and(|g| g.pel.len() <= at_most),
        _ => false,
    })
}

/// The server that holds `key` for `host`: the Redis running on the host (its default
/// server), or for `cache:ID` the primary of the group's shard that owns the key.
fn redis_server<'a>(lab: &'a Lab, host: &str, key: &str) -> Option<&'a Cache> {
    match host.strip_prefix(CACHE_PREFIX) {
        Some(group) => {
            let cache = &lab.cloud.elasticache;
            cache.servers.get(&cache.primary_for_key(group, key.as_bytes())?.id)
        }
        None => lab.host_named(host)?.redis.as_deref(),
    }
}

/// The servers whose channels `host` means: the host's Redis, or every node of group ID for
/// `cache:ID`.
fn channel_servers<'a>(lab: &'a Lab, host: &str) -> Vec<&'a Cache> {
    match host.strip_prefix(CACHE_PREFIX) {
        Some(group) => {
            let cache = &lab.cloud.elasticache;
            let members = cache.nodes.iter().filter(|n| n.group.as_deref() == Some(group));
            members.filter_map(|n| cache.servers.get(&n.id)).collect()
        }
        None => lab.host_named(host).and_then(|h| h.redis.as_deref()).into_iter().collect(),
    }
}

/// The value of `key` in database 0 of the server that holds it for `host`.
fn redis_value<'a>(lab: &'a Lab, host: &str, key: &str) -> Option<&'a Value> {
    redis_server(lab, host, key)?.peek(0, key.as_bytes(), lab.now().0)
}
