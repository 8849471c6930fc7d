//! The UI's state: one `Lab`, and the signals views follow.
//!
//! The lab itself lives in a `StoredValue` (not reactive): cloning or diffing the whole world on
//! every clock tick would be wasteful. Views subscribe to two small signals instead: `clock`
//! (the virtual time, which changes on every tick) and `rev` (bumped whenever anything else in
//! the lab changes: a command ran, an event fired).

use super::python::{self, PythonRuntime};
use super::storage;
use crate::cloud::time::{Duration, Timestamp};
use crate::lessons::progress::Progress;
use crate::shell::lab::Output;
use crate::shell::session::SessionId;
use crate::shell::Lab;
use leptos::prelude::*;

/// How fast the virtual clock runs against real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    Paused,
    X1,
    X10,
    X60,
}

impl Speed {
    pub fn factor(self) -> i64 {
        match self {
            Speed::Paused => 0,
            Speed::X1 => 1,
            Speed::X10 => 10,
            Speed::X60 => 60,
        }
    }
}

/// Why the saved lab was not restored, and its raw text so it can still be downloaded.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedSave {
    pub reason: String,
    pub raw: String,
}

#[derive(Clone, Copy)]
pub struct LabState {
    pub lab: StoredValue<Lab>,
    pub clock: RwSignal<Timestamp>,
    pub rev: RwSignal<u64>,
    pub active: RwSignal<SessionId>,
    pub speed: RwSignal<Speed>,
    pub progress: RwSignal<Progress>,
    pub rejected: RwSignal<Option<RejectedSave>>,
    /// Why the lab could not be saved in this browser (shown once per visit).
    pub save_failed: RwSignal<Option<String>>,
    save_warned: StoredValue<bool>,
    /// The browser's Python programs ([`python`]).
    pub python: StoredValue<PythonRuntime, LocalStorage>,
}

/// The clock ticks this often in real time.
const TICK_MS: i64 = 250;

pub fn provide_lab_state() {
    let loaded = storage::load_lab();
    let (mut lab, active, speed, rejected) = match loaded {
        Ok(Some(saved)) => (saved.lab, saved.active, saved.speed, None),
        Ok(None) => (fresh_lab(), 1, Speed::X1, None),
        Err(rejected) => (fresh_lab(), 1, Speed::X1, Some(rejected)),
    };
    // A program that ran when the page was closed did not survive it (its worker is gone).
    lab.python_unavailable("the program ended when the page was reloaded");
    let state = LabState {
        clock: RwSignal::new(lab.now()),
        lab: StoredValue::new(lab),
        rev: RwSignal::new(0),
        active: RwSignal::new(active),
        speed: RwSignal::new(speed),
        progress: RwSignal::new(storage::load_progress()),
        rejected: RwSignal::new(rejected),
        save_failed: RwSignal::new(None),
        save_warned: StoredValue::new(false),
        python: StoredValue::new_local(PythonRuntime::default()),
    };
    state.ensure_active();
    provide_context(state);
    python::connect(state);

    // The virtual clock: every tick advances the lab by tick × speed, and saves now and then.
    let ticks = StoredValue::new(0u64);
    let _ = set_interval_with_handle(
        move || {
            let factor = state.speed.get_untracked().factor();
            if factor > 0 {
                let mut ran = 0;
                state.lab.update_value(|lab| {
                    ran = lab.advance(Duration(TICK_MS * factor));
                    // A program's read with a timeout gives up as the clock passes it; a program
                    // on an instance that went away (its ssh connection closed) ends.
                    state.python.update_value(|p| {
                        p.forget_closed(lab);
                        p.retry(lab);
                    });
                });
                state.after_change(ran > 0);
            }
            ticks.update_value(|t| *t += 1);
            if ticks.get_value().is_multiple_of(8) {
                state.save();
            }
        },
        std::time::Duration::from_millis(TICK_MS as u64),
    );
    // Save when the page is hidden or closed, so nothing typed is lost.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| state.save());
}

/// A new lab starting at the real current time (rounded to the second), with a fresh seed.
pub fn fresh_lab() -> Lab {
    let now_ms = js_sys::Date::now() as i64;
    let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    Lab::new(seed, Timestamp(now_ms - now_ms.rem_euclid(1000)))
}

impl LabState {
    /// Refreshes the signals after the lab changed (`structural`: more than the clock moved).
    pub fn after_change(&self, structural: bool) {
        let now = self.lab.with_value(|l| l.now());
        self.clock.set(now);
        if structural {
            self.rev.update(|r| *r += 1);
        }
    }

    /// Runs a line in a session and saves. In a terminal a Python program holds, the line is
    /// the program's input.
    pub fn exec(&self, session: SessionId, line: &str) -> Output {
        let mut out = Output::default();
        self.lab.update_value(|lab| {
            self.python.update_value(|p| {
                if lab.python_program(session).is_some() {
                    p.type_line(lab, session, Some(line));
                } else {
                    out = lab.exec(session, line);
                }
                p.forget_closed(lab);
                p.start_new(lab);
                p.retry(lab);
            })
        });
        if out.closed {
            self.ensure_active();
        }
        self.after_change(true);
        self.save();
        out
    }

    /// Ctrl+C in a session: the line typed is abandoned, and so is what holds the terminal
    /// (a Python program gets a KeyboardInterrupt).
    pub fn interrupt(&self, session: SessionId, partial: &str) {
        self.change(|lab| {
            let python = lab.python_program(session).is_some();
            lab.interrupt(session, partial);
            if python {
                self.python.update_value(|p| p.interrupt(session));
            }
        });
    }

    /// Ctrl+D on an empty line: the end of input for the program reading it (Python's REPL
    /// leaves, `input()` raises EOFError) or for a here-document.
    pub fn end_of_input(&self, session: SessionId) {
        self.change(|lab| {
            if lab.python_program(session).is_some() {
                self.python.update_value(|p| p.type_line(lab, session, None));
            } else {
                lab.end_of_input(session);
            }
        });
    }

    /// Changes the lab with `f`, then refreshes and saves. Programs that `f` started run, and
    /// those whose terminal `f` closed end.
    pub fn change<R>(&self, f: impl FnOnce(&mut Lab) -> R) -> R {
        let mut result = None;
        self.lab.update_value(|lab| {
            result = Some(f(lab));
            self.python.update_value(|p| {
                p.forget_closed(lab);
                p.start_new(lab);
                p.retry(lab);
            });
        });
        self.after_change(true);
        self.save();
        result.expect("the closure ran")
    }

    /// Makes sure the active tab is an open session.
    pub fn ensure_active(&self) {
        let active = self.active.get_untracked();
        let first =
            self.lab.with_value(|l| if l.session(active).is_some() { None } else { l.sessions.first().map(|s| s.id) });
        if let Some(first) = first {
            self.active.set(first);
        }
    }

    pub fn save(&self) {
        let saved =
            self.lab.with_value(|lab| storage::save_lab(lab, self.active.get_untracked(), self.speed.get_untracked()));
        // The last good save stays in place; say so once, so the learner can export instead.
        if let Err(reason) = saved {
            if !self.save_warned.get_value() {
                self.save_warned.set_value(true);
                self.save_failed.set(Some(reason));
            }
        }
    }

    pub fn reset(&self) {
        self.python.update_value(PythonRuntime::stop_all);
        self.lab.set_value(fresh_lab());
        self.active.set(1);
        self.after_change(true);
        self.save();
    }

    pub fn replace(&self, mut lab: Lab, active: SessionId) {
        self.python.update_value(PythonRuntime::stop_all);
        // A program saved in the imported lab did not come with it.
        lab.python_unavailable("the program ended when the lab was saved");
        self.lab.set_value(lab);
        self.active.set(active);
        self.ensure_active();
        self.after_change(true);
        self.save();
    }

    pub fn set_progress(&self, f: impl FnOnce(&mut Progress)) {
        self.progress.update(f);
        storage::save_progress(&self.progress.get_untracked());
    }
}

pub fn use_lab() -> LabState {
    expect_context::<LabState>()
}
