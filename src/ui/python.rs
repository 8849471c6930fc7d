//! Python in the browser: each `python3` program runs in a Web Worker of its own, with Pyodide
//! and the real boto3 and redis-py (`public/python/worker.mjs`); `public/python/host.mjs`
//! boots the workers and carries their messages. This file is the lab's end of that line:
//! every message goes to the same [`Driver`] the native runtime uses, so a request is answered
//! exactly as in `dblab shell` and the tests.
//!
//! Programs run on their own, not line by line: messages arrive whenever a worker sends them,
//! and anything a program waits on (a subscriber's read) is asked again after every change of
//! the lab, a command in another tab or a tick of the clock ([`PythonRuntime::retry`]).

use super::state::LabState;
use crate::shell::python::driver::{Driver, Step};
use crate::shell::python::Exit;
use crate::shell::session::SessionId;
use crate::shell::Lab;
use leptos::prelude::UpdateValue;
use std::collections::{BTreeSet, VecDeque};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/public/python/host.mjs")]
extern "C" {
    fn python_unavailable() -> String;
    fn python_init(callback: &Closure<dyn FnMut(u32, String)>);
    fn python_prewarm();
    fn python_start(session: u32, launch: String);
    fn python_reply(session: u32, id: f64, answer: String);
    fn python_interrupt(session: u32);
    fn python_stop(session: u32);
}

/// The lab's side of the browser's Python programs.
#[derive(Default)]
pub struct PythonRuntime {
    driver: Driver,
    /// Sessions whose program was handed to a worker.
    started: BTreeSet<SessionId>,
    /// Lines typed while the program was busy, read when it asks (a terminal's type-ahead).
    typed_ahead: Vec<(SessionId, VecDeque<Option<String>>)>,
}

/// Sends `answer` to the program of `session` (it names the request it answers).
fn reply(session: SessionId, answer: &serde_json::Value) {
    python_reply(session, answer["id"].as_f64().unwrap_or(0.0), answer.to_string());
}

/// Connects the workers' messages to the lab; called once when the UI starts.
pub fn connect(state: LabState) {
    // The page shows what the programs did once a frame (16 ms), not once a request: a loop of GETs
    // asks the lab thousands of times a second, and drawing the workspace after each would
    // cost more than all the answers.
    let drawing = std::rc::Rc::new(std::cell::Cell::new(false));
    let callback = Closure::<dyn FnMut(u32, String)>::new(move |session: u32, text: String| {
        state.lab.update_value(|lab| state.python.update_value(|p| p.message(lab, session, &text)));
        // The end of a program can end its terminal (`python3 app.py; exit`).
        state.ensure_active();
        if !drawing.replace(true) {
            let drawing = drawing.clone();
            // A timer, not an animation frame: frames stop while the page is hidden or
            // throttled, and a drawing never done would stop every one after it.
            leptos::prelude::set_timeout(
                move || {
                    drawing.set(false);
                    state.after_change(true);
                },
                std::time::Duration::from_millis(16),
            );
        }
    });
    python_init(&callback);
    // The page lives as long as the workers do.
    callback.forget();
}

/// Starts Python in the background, so that it is ready when a program comes.
pub fn prewarm() {
    python_prewarm();
}

/// Waits (up to a few minutes of real time) while the program of `session` runs without waiting
/// on anything: until it ends, asks for a line, or waits on the lab.
pub async fn settled(state: LabState, session: SessionId) {
    use leptos::prelude::WithValue;
    for _ in 0..3000 {
        let busy = state.python.with_value(|p| p.started.contains(&session) && !p.driver.waits(session));
        let starting = state.lab.with_value(|lab| lab.python_program(session).is_some())
            && !state.python.with_value(|p| p.started.contains(&session));
        if !busy && !starting {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(pause).await;
    }
}

impl PythonRuntime {
    /// Hands every program that a line just started to a worker (or ends it at once, saying
    /// why, when this browser cannot run Python).
    pub fn start_new(&mut self, lab: &mut Lab) {
        let waiting = lab.python_to_start(|id| self.started.contains(&id));
        if waiting.is_empty() {
            return;
        }
        let why = python_unavailable();
        if !why.is_empty() {
            lab.python_unavailable(&why);
            return;
        }
        for id in waiting {
            let Some(launch) = lab.python_launch(id) else { continue };
            self.started.insert(id);
            lab.python_starting(id, "Starting Python 3.14 ...");
            python_start(id, launch.to_json("/").to_string());
        }
    }

    /// A line typed in the terminal of session `id`, whose program holds it (`None`: Ctrl+D).
    pub fn type_line(&mut self, lab: &mut Lab, id: SessionId, line: Option<&str>) {
        match self.driver.type_line(lab, id, line) {
            Some(answer) => reply(id, &answer),
            None => match self.typed_ahead.iter_mut().find(|(s, _)| *s == id) {
                Some((_, lines)) => lines.push_back(line.map(str::to_string)),
                None => self.typed_ahead.push((id, VecDeque::from([line.map(str::to_string)]))),
            },
        }
    }

    /// Ctrl+C in the terminal of session `id`.
    pub fn interrupt(&mut self, id: SessionId) {
        self.driver.interrupt(id);
        self.typed_ahead.retain(|(s, _)| *s != id);
        python_interrupt(id);
    }

    /// Asks again what programs wait on (the lab changed).
    pub fn retry(&mut self, lab: &mut Lab) {
        for (id, answer) in self.driver.retry(lab) {
            reply(id, &answer);
        }
    }

    fn message(&mut self, lab: &mut Lab, id: SessionId, text: &str) {
        if !self.started.contains(&id) {
            return;
        }
        let report: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        match report["op"].as_str().unwrap_or("") {
            "starting" => {
                let mb = |n: &serde_json::Value| n.as_f64().unwrap_or(0.0) / 1e6;
                let status =
                    format!("Starting Python 3.14 ... {:.1} / {:.1} MB", mb(&report["loaded"]), mb(&report["total"]));
                lab.python_starting(id, &status);
            }
            "started" => lab.python_starting(id, ""),
            "failed" => {
                let why = format!("python3: {}\n", report["why"].as_str().unwrap_or("Python could not start"));
                lab.python_printed(id, &why);
                self.end(lab, id, &Exit { status: 127, ..Exit::default() });
            }
            _ => match self.driver.message(lab, id, text, &mut String::new()) {
                Step::Nothing => {}
                Step::Reply(answer) => reply(id, &answer),
                Step::Ended(exit) => self.end(lab, id, &exit),
            },
        }
        self.deliver_typed_ahead(lab, id);
        self.retry(lab);
    }

    fn deliver_typed_ahead(&mut self, lab: &mut Lab, id: SessionId) {
        if !self.driver.wants_line(id) {
            return;
        }
        let Some((_, lines)) = self.typed_ahead.iter_mut().find(|(s, _)| *s == id) else { return };
        if let Some(line) = lines.pop_front() {
            if let Some(answer) = self.driver.type_line(lab, id, line.as_deref()) {
                reply(id, &answer);
            }
        }
    }

    /// The program of `id` ended: its worker goes, the terminal is the shell's again, and the
    /// rest of its line may start another program.
    fn end(&mut self, lab: &mut Lab, id: SessionId, exit: &Exit) {
        let mut unread = self.stop(lab, id, exit);
        self.start_new(lab);
        // What was typed ahead and not read goes to whatever reads the terminal next, as a
        // tty hands it on: the shell, or a program the rest of the line started.
        while let Some(line) = unread.pop_front() {
            if lab.python_program(id).is_some() {
                unread.push_front(line);
                self.typed_ahead.push((id, unread));
                break;
            }
            if let Some(text) = line {
                lab.exec(id, &text);
                self.start_new(lab);
            }
        }
    }

    /// The worker of `id`'s program goes, and the program ends with `exit`; returns the lines
    /// typed ahead that it did not read.
    fn stop(&mut self, lab: &mut Lab, id: SessionId, exit: &Exit) -> VecDeque<Option<String>> {
        python_stop(id);
        self.started.remove(&id);
        let unread = self.typed_ahead.iter().position(|(s, _)| *s == id).map(|at| self.typed_ahead.remove(at).1);
        self.driver.ended(lab, id, exit);
        unread.unwrap_or_default()
    }

    /// Programs whose terminal is gone (closed, or its host's session ended) stop too.
    pub fn forget_closed(&mut self, lab: &mut Lab) {
        let gone: Vec<SessionId> =
            self.started.iter().copied().filter(|id| lab.python_program(*id).is_none()).collect();
        for id in gone {
            self.stop(lab, id, &Exit::default());
        }
    }

    /// Every program stops (the lab is reset or replaced: its programs are not the new lab's).
    pub fn stop_all(&mut self) {
        for id in std::mem::take(&mut self.started) {
            python_stop(id);
        }
        self.typed_ahead.clear();
        self.driver = Driver::new();
    }
}
