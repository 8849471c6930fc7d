//! Running a step's solution in a lab: what "Show me" does, and what the replay test does for
//! every lesson.

use super::lesson::Step;
use crate::shell::Lab;

/// Fills in what a solution cannot know in advance: `{{access_key_id}}` and
/// `{{secret_access_key}}` are the newest access key of the console user.
pub fn fill(lab: &Lab, text: &str) -> String {
    let mut out = text.to_string();
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
