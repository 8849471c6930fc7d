//! Running a step's solution in a lab: what "Show me" does, and what the replay test does for
//! every lesson.

use super::lesson::Step;
use super::script::type_line;
use crate::shell::python::Runtime;
use crate::shell::Lab;

/// Fills in what a solution cannot know in advance: `{{access_key_id}}` and
/// `{{secret_access_key}}` are the newest access key of the console user; `{{endpoint:ID}}` is
/// the endpoint of RDS instance ID; `{{cluster:ID}}` and `{{reader:ID}}` are an Aurora
/// cluster's writer and reader endpoints; `{{cache:ID}}` is an ElastiCache replication group's
/// primary endpoint (its configuration endpoint in cluster mode), `{{cache-reader:ID}}` its
/// reader endpoint and `{{cache-node:ID}}` one node's endpoint; `{{public_ip:NAME}}` is the
/// public address of the EC2 instance whose Name tag (or id) is NAME;
/// `{{redis_pending:HOST:KEY:GROUP}}` is the oldest
/// entry ID the consumer group GROUP of stream KEY (db 0 of HOST's Redis) has delivered and not
/// yet seen acknowledged — the ID a learner copies from `XPENDING` (stream IDs come from the
/// clock). An unknown ID stays as the bare ID.
pub fn fill(lab: &Lab, text: &str) -> String {
    let rds = &lab.cloud.rds;
    let suffix = &rds.endpoint_suffix;
    let mut out = text.to_string();
    out = fill_each(out, "{{redis_pending:", |spec| redis_pending(lab, spec));
    out = fill_each(out, "{{endpoint:", |id| rds.instance(id).map(|i| i.endpoint(suffix)));
    out = fill_each(out, "{{cluster:", |id| rds.cluster(id).map(|c| c.endpoint(suffix)));
    out = fill_each(out, "{{reader:", |id| rds.cluster(id).map(|c| c.reader_endpoint(suffix)));
    let cache = &lab.cloud.elasticache;
    out = fill_each(out, "{{cache:", |id| cache.client_endpoint(id));
    out = fill_each(out, "{{cache-reader:", |id| cache.group(id).map(|g| g.reader_endpoint(&cache.suffix)));
    out = fill_each(out, "{{cache-node:", |id| cache.node(id).map(|n| n.endpoint(&cache.suffix)));
    out = fill_each(out, "{{public_ip:", |name| {
        let mut live = lab.cloud.network.instances.iter().filter(|i| i.state.is_up());
        live.find(|i| i.name_tag() == Some(name) || i.id == name).and_then(|i| i.public_ip).map(|ip| ip.to_string())
    });
    if out.contains("{{") {
        let key = lab.cloud.iam.user(crate::cloud::iam::CONSOLE_USER).and_then(|u| u.access_keys.last());
        if let Some(key) = key {
            out = out.replace("{{access_key_id}}", &key.id).replace("{{secret_access_key}}", &key.secret);
        }
    }
    out
}

/// Replaces every `{{KIND:ID}}` that starts with `open` by what `lookup` gives for ID.
fn fill_each(mut out: String, open: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut from = 0;
    while let Some(found) = out[from..].find(open) {
        let start = from + found;
        let Some(len) = out[start..].find("}}") else { break };
        let id = out[start + open.len()..start + len].to_string();
        let value = lookup(&id).unwrap_or(id);
        out.replace_range(start..start + len + 2, &value);
        from = start + value.len();
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

/// [`run_solution`] with `python3` run by `runtime`, as the replay test and `dblab` run lessons:
/// a line typed while a Python program reads the terminal goes to the program, and after each
/// line every program runs until it waits. Programs still running when the solution ends (a
/// subscriber listening in another tab) go on running into the next step, as they would for a
/// learner; the caller ends them ([`Runtime::stop_all`]) when the lesson is over.
pub fn run_solution_with<'r>(
    lab: &mut Lab,
    step: &Step,
    mut runtime: Option<&mut (dyn Runtime + 'r)>,
) -> Vec<(u32, String)> {
    let mut typed = Vec::new();
    for (at, line) in step.solution.iter().enumerate() {
        let Ok(session) = lab.session_tab(&line.host, line.tab) else { continue };
        let interrupt_next = step.solution.get(at + 1).is_some_and(|next| next.text.ends_with("^C"));
        let text = fill(lab, &line.text);
        type_line(lab, session, &line.text, runtime.as_deref_mut(), interrupt_next);
        typed.push((session, text));
    }
    typed
}
