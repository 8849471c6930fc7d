//! What a runtime does with its programs' messages, the same wherever a program runs: a process
//! of the system's CPython ([`super::native`]) or a Web Worker with Pyodide (the browser's
//! `ui::python`). The runtime carries the messages; this decides what each one means.
//!
//! A program sends one JSON object per message (see `_dblab/channel.py`): `write` (output, no
//! answer), `input` (it waits for a line typed in its terminal), `exit` (it ended), and the
//! requests [`Bridge`] answers. An answer that cannot be given yet (a read with nothing to
//! read) is kept and asked again by [`Driver::retry`] whenever the lab may have changed.

use super::bridge::{Answer, Bridge};
use super::Exit;
use crate::shell::lab::Output;
use crate::shell::session::SessionId;
use crate::shell::Lab;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a program waits for, when it waits on the lab.
#[derive(Debug)]
enum Waiting {
    /// A line typed in its terminal (the request's id).
    Input(u64),
    /// A request the lab answers later.
    Request(Value),
}

/// What the runtime does after a message.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Nothing to send: the program printed (shown already) or waits.
    Nothing,
    /// Send this answer to the program.
    Reply(Value),
    /// The program ended: tear it down, then call [`Driver::ended`].
    Ended(Exit),
}

#[derive(Debug, Default)]
pub struct Driver {
    bridge: Bridge,
    waiting: BTreeMap<SessionId, Waiting>,
}

impl Driver {
    pub fn new() -> Driver {
        Driver::default()
    }

    /// One message of the program of session `id`. What it printed goes to the terminal and
    /// is added to `printed` (the script runner's transcript).
    pub fn message(&mut self, lab: &mut Lab, id: SessionId, text: &str, printed: &mut String) -> Step {
        let Ok(message) = serde_json::from_str::<Value>(text) else {
            // Not the lab's protocol: something the interpreter itself printed.
            lab.python_printed(id, &format!("{text}\n"));
            printed.push_str(text);
            printed.push('\n');
            return Step::Nothing;
        };
        match message["op"].as_str().unwrap_or("") {
            "write" => {
                let text = message["text"].as_str().unwrap_or("");
                lab.python_printed(id, text);
                printed.push_str(text);
                Step::Nothing
            }
            "input" => {
                // The prompt was printed already: it is the last line's unfinished end.
                lab.python_wants_input(id, message["prompt"].as_str().unwrap_or(""));
                self.waiting.insert(id, Waiting::Input(message["id"].as_u64().unwrap_or(0)));
                Step::Nothing
            }
            "exit" => Step::Ended(Exit::from_json(&message)),
            _ => self.ask(lab, id, message),
        }
    }

    fn ask(&mut self, lab: &mut Lab, id: SessionId, request: Value) -> Step {
        match self.bridge.answer(lab, id, &request) {
            Answer::Now(mut answer) => {
                answer["id"] = request["id"].clone();
                Step::Reply(answer)
            }
            Answer::Wait => {
                self.waiting.insert(id, Waiting::Request(request));
                Step::Nothing
            }
        }
    }

    /// Asks again every request that had to wait; returns the answers now given.
    pub fn retry(&mut self, lab: &mut Lab) -> Vec<(SessionId, Value)> {
        let asking: Vec<SessionId> =
            self.waiting.iter().filter(|(_, w)| matches!(w, Waiting::Request(_))).map(|(id, _)| *id).collect();
        let mut answers = Vec::new();
        for id in asking {
            let Some(Waiting::Request(request)) = self.waiting.remove(&id) else { continue };
            if let Step::Reply(answer) = self.ask(lab, id, request) {
                answers.push((id, answer));
            }
        }
        answers
    }

    /// Whether the program of session `id` waits on the lab (a line, or an answer to come).
    pub fn waits(&self, id: SessionId) -> bool {
        self.waiting.contains_key(&id)
    }

    /// Whether the program of session `id` waits for a line typed in its terminal.
    pub fn wants_line(&self, id: SessionId) -> bool {
        matches!(self.waiting.get(&id), Some(Waiting::Input(_)))
    }

    /// A line typed for the program of session `id` (`None`: Ctrl+D): the answer to send, if
    /// the program was reading one.
    pub fn type_line(&mut self, lab: &mut Lab, id: SessionId, line: Option<&str>) -> Option<Value> {
        if !self.wants_line(id) {
            return None;
        }
        let Some(Waiting::Input(request)) = self.waiting.remove(&id) else { return None };
        lab.python_typed(id, line.unwrap_or(""));
        Some(match line {
            Some(text) => json!({"id": request, "line": text}),
            None => json!({"id": request, "eof": true}),
        })
    }

    /// Ctrl+C: what the program waited for is abandoned; its next request starts afresh.
    pub fn interrupt(&mut self, id: SessionId) {
        self.waiting.remove(&id);
    }

    /// The earliest lab time at which something a program waits for gives up.
    pub fn next_deadline(&self) -> Option<i64> {
        self.bridge.next_deadline()
    }

    /// The program of session `id` is gone (it said so, or its process died): its connections
    /// close, and the terminal is the shell's again with `exit`'s status and files.
    pub fn ended(&mut self, lab: &mut Lab, id: SessionId, exit: &Exit) -> Output {
        self.waiting.remove(&id);
        self.bridge.program_ended(lab, id);
        lab.python_exited(id, exit)
    }
}
