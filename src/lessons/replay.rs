//! Running a step's solution in a lab: what "Show me" does, and what the replay test does for
//! every lesson.

use super::lesson::Step;
use crate::shell::Lab;

/// Fills in what a solution cannot know in advance: `{{access_key_id}}` and
/// `{{secret_access_key}}` are the newest access key of the console user; `{{endpoint:ID}}` is
/// the endpoint of RDS instance ID; `{{redis_pending:HOST:KEY:GROUP}}` is the oldest entry ID
/// the consumer group GROUP of stream KEY (db 0 of HOST's Redis) has delivered and not yet seen
/// acknowledged — the ID a learner copies from `XPENDING` (stream IDs come from the clock).
pub fn fill(lab: &Lab, text: &str) -> String {
    let mut out = text.to_string();
    while let Some(start) = out.find("{{redis_pending:") {
        let Some(len) = out[start..].find("}}") else { break };
        let spec = out[start + 16..start + len].to_string();
        let id = redis_pending(lab, &spec).unwrap_or(spec);
        out.replace_range(start..start + len + 2, &id);
    }
    while let Some(start) = out.find("{{endpoint:") {
        let Some(len) = out[start..].find("}}") else { break };
        let id = out[start + 11..start + len].to_string();
        let endpoint = lab.cloud.rds.instance(&id).map(|i| i.endpoint(&lab.cloud.rds.endpoint_suffix)).unwrap_or(id);
        out.replace_range(start..start + len + 2, &endpoint);
    }
    if out.contains("{{") {
        let key = lab.cloud.iam.user(crate::cloud::iam::CONSOLE_USER).and_then(|u| u.access_keys.last());
        if let Some(key) = key {
            out = out.replace("{{access_key_id}}", &key.id).replace("{{secret_access_key}}", &key.secret);
        }
    }
    out
}

fn redis_pending(lab: &Lab, spec: &str) -> Option<String> {
    use crate::engines::cache::keyspace::Value;
    let mut parts = spec.splitn(3, ':');
    let (host, key, group) = (parts.next()?, parts.next()?, parts.next()?);
    let server = lab.host(host)?.redis.as_deref()?;
    let Value::Stream(stream) = server.peek(0, key.as_bytes(), lab.now().0)? else { return None };
    let first = stream.groups.get(group.as_bytes())?.pel.keys().next()?;
    String::from_utf8(first.to_bytes()).ok()
}

/// Types each solution line into its terminal: the host's first tab, or the tab it names
/// (`laptop[2]$`), opening tabs as needed. Returns the (session, line) pairs typed, for the UI
/// to show.
pub fn run_solution(lab: &mut Lab, step: &Step) -> Vec<(u32, String)> {
    let mut typed = Vec::new();
    for line in &step.solution {
        let Ok(session) = lab.session_tab(&line.host, line.tab) else { continue };
        let text = fill(lab, &line.text);
        lab.exec(session, &text);
        typed.push((session, text));
    }
    typed
}
