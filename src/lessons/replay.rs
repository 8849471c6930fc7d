//! Running a step's solution in a lab: what "Show me" does, and what the replay test does for
//! every lesson.

use super::lesson::Step;
use crate::shell::Lab;

/// Fills in what a solution cannot know in advance: `{{access_key_id}}` and
/// `{{secret_access_key}}` are the newest access key of the console user; `{{endpoint:ID}}` is
/// the endpoint of RDS instance ID.
pub fn fill(lab: &Lab, text: &str) -> String {
    let mut out = text.to_string();
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

/// Types each solution line into a session on its host (opening one if needed).
/// Returns the (session, line) pairs typed, for the UI to show.
pub fn run_solution(lab: &mut Lab, step: &Step) -> Vec<(u32, String)> {
    let mut typed = Vec::new();
    for line in &step.solution {
        let Ok(session) = lab.session_on(&line.host) else { continue };
        let text = fill(lab, &line.text);
        lab.exec(session, &text);
        typed.push((session, text));
    }
    typed
}
