//! Conditions on the ElastiCache control plane: replication groups, their nodes and shards,
//! the data their primaries hold, who can reach them, and the failovers they went through.

use super::shell::connects;
use super::{test, Args, Entry, Test};
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
        holds_when: "HOST can connect to the group's endpoint (its configuration endpoint in cluster mode)",
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
        let server = cache.primary_for_key(&id, key.as_bytes()).and_then(|n| cache.servers.get(&n.id));
        let stored = server.and_then(|s| s.peek(0, key.as_bytes(), lab.now().0));
        matches!(stored, Some(Value::Str(v)) if v == value.as_bytes())
    })
}

/// HOST connects to the endpoint the group's clients use, as its DNS resolves it.
fn reachable(args: &Args) -> Result<Test, String> {
    let (host, id) = (args.word(0)?, args.word(1)?);
    test(move |lab| {
        let cache = &lab.cloud.elasticache;
        let (Some(group), Some(endpoint)) = (cache.group(&id), cache.client_endpoint(&id)) else { return false };
        connects(lab, &host, &endpoint, group.port)
    })
}

fn failovers(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| lab.cloud.elasticache.log.completed_failovers("replication-group", &id) >= at_least)
}
