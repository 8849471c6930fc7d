//! MULTI/EXEC/DISCARD and WATCH: queue commands, run them as one step, or abort when a
//! watched key changed.
//!
//! ```text
//!   WATCH balance          <- remember the key
//!   MULTI                  <- start queueing
//!   DECRBY balance 10      -> QUEUED
//!   EXEC                   -> [90]  or (nil) if another connection wrote `balance` meanwhile
//! ```
//! Queued commands are checked for existence and arity when queued (an error there makes EXEC
//! answer EXECABORT); other errors happen at EXEC time and appear inside the result array.

use super::super::table;
use super::super::{Cache, Call, CmdResult, Reply};

pub fn multi(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(client) = s.clients.get_mut(&c.client) else {
        return Ok(Reply::ok());
    };
    if client.multi.is_some() {
        return Err(Reply::err("ERR MULTI calls can not be nested"));
    }
    client.multi = Some(Vec::new());
    client.multi_failed = false;
    Ok(Reply::ok())
}

fn clear_watches(s: &mut Cache, client: u64) {
    if let Some(cl) = s.clients.get_mut(&client) {
        let n = cl.watched.len();
        cl.watched.clear();
        cl.watch_dirty = false;
        s.add_watch_count(-(n as isize));
    }
}

pub fn exec(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(client) = s.clients.get_mut(&c.client) else {
        return Err(Reply::err("ERR EXEC without MULTI"));
    };
    let Some(queue) = client.multi.take() else {
        return Err(Reply::err("ERR EXEC without MULTI"));
    };
    let failed = std::mem::take(&mut client.multi_failed);
    let dirty = client.watch_dirty;
    clear_watches(s, c.client);
    if failed {
        return Err(Reply::err("EXECABORT Transaction discarded because of previous errors."));
    }
    if dirty {
        return Ok(Reply::NilArray);
    }
    let mut replies = Vec::with_capacity(queue.len());
    for argv in &queue {
        let Some(spec) = argv.first().and_then(|name| table::lookup(name)) else {
            continue;
        };
        let db = s.clients.get(&c.client).map(|cl| cl.db).unwrap_or(0);
        let call = Call { argv, client: c.client, db, now: c.now, may_block: false };
        replies.push(s.run(spec, &call));
    }
    Ok(Reply::Array(replies))
}

pub fn discard(s: &mut Cache, c: &Call) -> CmdResult {
    let in_multi = s.clients.get(&c.client).is_some_and(|cl| cl.multi.is_some());
    if !in_multi {
        return Err(Reply::err("ERR DISCARD without MULTI"));
    }
    if let Some(cl) = s.clients.get_mut(&c.client) {
        cl.multi = None;
        cl.multi_failed = false;
    }
    clear_watches(s, c.client);
    Ok(Reply::ok())
}

pub fn watch(s: &mut Cache, c: &Call) -> CmdResult {
    let Some(client) = s.clients.get_mut(&c.client) else {
        return Ok(Reply::ok());
    };
    if client.multi.is_some() {
        return Err(Reply::err("ERR WATCH inside MULTI is not allowed"));
    }
    let mut added = 0;
    for key in c.args_from(1) {
        let entry = (c.db, key.clone());
        if !client.watched.contains(&entry) {
            client.watched.push(entry);
            added += 1;
        }
    }
    s.add_watch_count(added);
    Ok(Reply::ok())
}

pub fn unwatch(s: &mut Cache, c: &Call) -> CmdResult {
    clear_watches(s, c.client);
    Ok(Reply::ok())
}
