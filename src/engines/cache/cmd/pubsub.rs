//! Pub/sub: channels and patterns, with RESP2's subscribed-connection rules.
//!
//! A subscribed connection receives messages as pushes (`["message", channel, payload]`, or
//! `["pmessage", pattern, channel, payload]` for a pattern), collected by the caller with
//! [`Cache::take_pushes`]. Each (un)subscribe confirmation is a push too. In RESP3 they are
//! push frames (`>3`), told apart from replies by their type, so a subscribed RESP3
//! connection may run any command; RESP2 sends them as plain arrays, so while subscribed a
//! RESP2 connection may only (un)subscribe, PING, QUIT or RESET (checked in
//! `Cache::dispatch`).

use super::super::args;
use super::super::glob;
use super::super::{Cache, Call, Client, ClientId, CmdResult, Reply};
use std::collections::{BTreeMap, BTreeSet};

/// Removes `client` from the subscribers of `name`, dropping the entry when it empties.
pub(crate) fn forget(index: &mut BTreeMap<Vec<u8>, BTreeSet<ClientId>>, name: &[u8], client: ClientId) {
    if let Some(set) = index.get_mut(name) {
        set.remove(&client);
        if set.is_empty() {
            index.remove(name);
        }
    }
}

fn many(mut replies: Vec<Reply>) -> Reply {
    if replies.len() == 1 {
        replies.pop().unwrap_or(Reply::Nil)
    } else {
        Reply::Many(replies)
    }
}

fn confirmation(kind: &str, name: Option<&[u8]>, count: usize) -> Reply {
    Reply::Push(vec![Reply::bulk(kind), name.map(Reply::bulk).unwrap_or(Reply::Nil), Reply::Integer(count as i64)])
}

fn subscribe_generic(s: &mut Cache, c: &Call, pattern: bool) -> CmdResult {
    let mut replies = Vec::new();
    for name in c.args_from(1) {
        let Some(client) = s.clients.get_mut(&c.client) else { break };
        let set = if pattern { &mut client.patterns } else { &mut client.channels };
        set.insert(name.clone());
        let count = client.subscriptions();
        let index = if pattern { &mut s.patterns } else { &mut s.channels };
        index.entry(name.clone()).or_default().insert(c.client);
        replies.push(confirmation(if pattern { "psubscribe" } else { "subscribe" }, Some(name), count));
    }
    Ok(many(replies))
}

fn unsubscribe_generic(s: &mut Cache, c: &Call, pattern: bool) -> CmdResult {
    let kind = if pattern { "punsubscribe" } else { "unsubscribe" };
    let names: Vec<Vec<u8>> = if c.argc() > 1 {
        c.args_from(1).to_vec()
    } else {
        match s.clients.get(&c.client) {
            Some(cl) if pattern => cl.patterns.iter().cloned().collect(),
            Some(cl) => cl.channels.iter().cloned().collect(),
            None => Vec::new(),
        }
    };
    let mut replies = Vec::new();
    for name in &names {
        let Some(client) = s.clients.get_mut(&c.client) else { break };
        let set = if pattern { &mut client.patterns } else { &mut client.channels };
        set.remove(name);
        let count = client.subscriptions();
        forget(if pattern { &mut s.patterns } else { &mut s.channels }, name, c.client);
        replies.push(confirmation(kind, Some(name), count));
    }
    if replies.is_empty() {
        let count = s.clients.get(&c.client).map(|cl| cl.subscriptions()).unwrap_or(0);
        replies.push(confirmation(kind, None, count));
    }
    Ok(many(replies))
}

pub fn subscribe(s: &mut Cache, c: &Call) -> CmdResult {
    subscribe_generic(s, c, false)
}
pub fn psubscribe(s: &mut Cache, c: &Call) -> CmdResult {
    subscribe_generic(s, c, true)
}
pub fn unsubscribe(s: &mut Cache, c: &Call) -> CmdResult {
    unsubscribe_generic(s, c, false)
}
pub fn punsubscribe(s: &mut Cache, c: &Call) -> CmdResult {
    unsubscribe_generic(s, c, true)
}

/// Queues a message for a connection, in the protocol it speaks when the message is sent
/// (as Redis writes it into the connection's output buffer then).
fn deliver(client: &mut Client, push: Reply) {
    let push = push.for_protocol(client.protocol);
    client.pushes.push(push);
}

/// Delivers `message` on `channel`; returns how many connections received it.
pub fn publish_message(s: &mut Cache, channel: &[u8], message: &[u8]) -> usize {
    let mut receivers = 0;
    let direct: Vec<ClientId> = s.channels.get(channel).map(|set| set.iter().copied().collect()).unwrap_or_default();
    for id in direct {
        if let Some(client) = s.clients.get_mut(&id) {
            deliver(client, Reply::Push(vec![Reply::bulk("message"), Reply::bulk(channel), Reply::bulk(message)]));
            receivers += 1;
        }
    }
    let patterned: Vec<(Vec<u8>, ClientId)> = s
        .patterns
        .iter()
        .filter(|(p, _)| glob::matches(p, channel))
        .flat_map(|(p, set)| set.iter().map(move |id| (p.clone(), *id)))
        .collect();
    for (pattern, id) in patterned {
        if let Some(client) = s.clients.get_mut(&id) {
            deliver(
                client,
                Reply::Push(vec![
                    Reply::bulk("pmessage"),
                    Reply::Bulk(pattern),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]),
            );
            receivers += 1;
        }
    }
    s.stats.pubsub_messages += 1;
    if receivers > 0 {
        *s.stats.delivered.entry(channel.to_vec()).or_default() += receivers as u64;
    }
    receivers
}

pub fn publish(s: &mut Cache, c: &Call) -> CmdResult {
    Ok(Reply::Integer(publish_message(s, c.arg(1), c.arg(2)) as i64))
}

pub fn pubsub(s: &mut Cache, c: &Call) -> CmdResult {
    let sub = args::text(c.arg(1)).to_ascii_lowercase();
    match sub.as_str() {
        "channels" if c.argc() <= 3 => {
            let pattern = (c.argc() == 3).then(|| c.arg(2));
            Ok(Reply::bulks(s.channels.keys().filter(|ch| pattern.is_none_or(|p| glob::matches(p, ch)))))
        }
        "numsub" => {
            let mut out = Vec::new();
            for ch in c.args_from(2) {
                out.push(Reply::bulk(ch));
                out.push(Reply::Integer(s.channels.get(ch).map(|set| set.len()).unwrap_or(0) as i64));
            }
            Ok(Reply::Array(out))
        }
        "numpat" if c.argc() == 2 => Ok(Reply::Integer(s.patterns.len() as i64)),
        "shardchannels" if c.argc() <= 3 => Ok(Reply::Array(Vec::new())),
        "shardnumsub" => {
            let mut out = Vec::new();
            for ch in c.args_from(2) {
                out.push(Reply::bulk(ch));
                out.push(Reply::Integer(0));
            }
            Ok(Reply::Array(out))
        }
        "help" if c.argc() == 2 => Ok(Reply::statuses(&[
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Print this help.",
        ])),
        "channels" | "numpat" | "shardchannels" | "help" => Err(args::wrong_args(&format!("pubsub|{sub}"))),
        _ => Err(Reply::Error(format!("ERR unknown subcommand '{}'. Try PUBSUB HELP.", args::text(c.arg(1))))),
    }
}
