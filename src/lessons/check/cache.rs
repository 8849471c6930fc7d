//! Conditions on the ElastiCache control plane: replication groups, their nodes and shards,
//! the data their primaries hold, who can reach them, and the failovers they went through.

use super::{test, Args, Entry, Test};
use crate::cloud::network::reach::Outcome;
use crate::engines::cache::keyspace::Value;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "cache_group",
        usage: "ID [STATUS]",
        holds_when: "the ElastiCache replication group exists (in that status)",
        parse: group,
    },
    Entry { name: "cache_nodes", usage: "ID N", holds_when: "the group has N+ nodes", parse: nodes },
    Entry {
        name: "cache_shards",
        usage: "ID N",
        holds_when: "the group runs in cluster mode with N+ shards",
        parse: shards,
    },
    Entry {
        name: "cache_value",
        usage: "ID KEY VALUE...",
        holds_when: "the primary owning KEY holds the string VALUE under it",
        parse: value,
    },
    Entry {
        name: "cache_reachable",
        usage: "HOST ID",
        holds_when: "HOST can connect to the group's (first shard's) primary",
        parse: reachable,
    },
    Entry { name: "cache_failovers", usage: "ID N", holds_when: "the group completed N+ failovers", parse: failovers },
];

fn group(args: &Args) -> Result<Test, String> {
    let (id, status) = (args.word(0)?, args.optional(1));
    test(move |lab| lab.cloud.elasticache.group(&id).is_some_and(|g| status.as_ref().is_none_or(|s| &g.status == s)))
}

fn nodes(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| {
        let members = lab.cloud.elasticache.nodes.iter().filter(|n| n.group.as_deref() == Some(id.as_str()));
        members.count() >= at_least
    })
}

fn shards(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| lab.cloud.elasticache.group(&id).is_some_and(|g| g.cluster_mode && g.shards >= at_least))
}

/// A string key's value on the primary of the shard that owns the key.
fn value(args: &Args) -> Result<Test, String> {
    let (id, key, value) = (args.word(0)?, args.word(1)?, args.rest(2));
    test(move |lab| {
        let cache = &lab.cloud.elasticache;
        let owner = cache.group(&id).and_then(|g| {
            let slot = crate::engines::cache::cluster::key_slot(key.as_bytes());
            let shard = g.slots.iter().position(|&(a, b)| (a..=b).contains(&slot)).unwrap_or(0);
            cache.primary_of(&id, if g.cluster_mode { shard } else { 0 })
        });
        let stored = owner.and_then(|n| cache.servers.get(&n.id)).and_then(|s| s.peek(0, key.as_bytes(), lab.now().0));
        matches!(stored, Some(Value::Str(v)) if v == value.as_bytes())
    })
}

fn reachable(args: &Args) -> Result<Test, String> {
    let (host, id) = (args.word(0)?, args.word(1)?);
    test(move |lab| {
        let (Some(h), Some(primary)) = (lab.host_named(&host), lab.cloud.elasticache.primary_of(&id, 0)) else {
            return false;
        };
        lab.cloud.reach(&h.source(), primary.private_ip, primary.port).outcome == Outcome::Connected
    })
}

fn failovers(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| {
        let events = lab.cloud.elasticache.log.events.iter();
        let done = events.filter(|e| {
            e.source == id && e.source_type == "replication-group" && e.message.starts_with("Failover from")
        });
        done.count() >= at_least
    })
}
