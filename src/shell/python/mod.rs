//! Python on every host: `python3` runs a real CPython with the real boto3, botocore and
//! redis-py, and the lab answers everything the program reaches for.
//!
//! The shell is pure and cannot run CPython itself, so a Python program lives in three places:
//!
//! - here, in the lab: `python3` ([`command`]) checks its arguments and hands the terminal to
//!   a [`PythonProgram`] (a [`Foreground`](super::foreground::Foreground)); [`Launch`] is what
//!   the program is given (its arguments, environment, working directory and the host's
//!   files), and [`Lab::python_exited`](super::Lab::python_exited) takes back its exit status
//!   and the files it wrote;
//! - in a *runtime* the front end owns: natively a `python3` process ([`native`]), in the
//!   browser Pyodide in a Web Worker. The runtime carries the program's requests to the
//!   [`bridge`], which answers them from the lab: AWS calls (signature checked, then the
//!   service's operation), name lookups and TCP connections through the lab's network
//!   ([`socket`]: the bytes redis-py writes reach the cache node's RESP reader), sleeps on
//!   the lab's clock, and lines typed in the terminal;
//! - in Python, the `_dblab` package beside this file: the same for both runtimes, it plugs
//!   botocore's `before-send` event, `socket`, `time.sleep` and the standard streams into the
//!   line to the lab (see its `__init__.py`).
//!
//! [`pip`] answers `pip list`, `pip show` and `pip install` from the pinned set of packages
//! (`packages.lock`), as pip would on a machine with no route to its index.

pub mod bridge;
pub mod command;
pub mod driver;
pub mod http;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod pip;
pub mod socket;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The version of CPython the lab's hosts have, as `python3 --version` prints it. (The
/// browser's Pyodide is CPython 3.14; natively the system's CPython runs, whichever it is.)
pub const PYTHON_VERSION: &str = "3.14.2";

/// A Python program holding a session's terminal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PythonProgram {
    /// The words after `python3`: `["load.py", "Movies"]`, `["-c", "..."]`, `[]` for the REPL.
    pub args: Vec<String>,
    /// What the program reads as standard input when it is not the terminal (`python3 - <<EOF`).
    pub stdin: Option<String>,
    /// What the terminal shows before the input line while the program waits for a line
    /// (`>>> `, `... `, an `input()` prompt); empty while it runs.
    pub prompt: String,
}

/// What a runtime is given to start a program: everything it may see of the host.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    pub args: Vec<String>,
    pub cwd: String,
    pub home: String,
    pub env: BTreeMap<String, String>,
    /// Every file of the host, by absolute path.
    pub files: BTreeMap<String, String>,
    /// Every directory of the host (those without files in them included).
    pub dirs: Vec<String>,
    pub stdin: Option<String>,
    /// Seeds the program's `random`: the lab's seed and clock, so a replay repeats it.
    pub seed: u64,
}

impl Launch {
    /// The launch as the `_dblab` package reads it; `root` is where the host's `/` is in the
    /// runtime's own file system.
    pub fn to_json(&self, root: &str) -> Value {
        json!({
            "args": self.args,
            "cwd": self.cwd,
            "home": self.home,
            "env": self.env,
            "files": self.files,
            "dirs": self.dirs,
            "stdin": self.stdin,
            "seed": self.seed,
            "root": root,
        })
    }
}

/// How a program ended, as its runtime reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exit {
    pub status: i32,
    /// Files the program wrote (new or changed), by absolute path.
    pub files: BTreeMap<String, String>,
    /// Files the program deleted.
    pub removed: Vec<String>,
}

impl Exit {
    /// Reads the runtime's `exit` message.
    pub fn from_json(message: &Value) -> Exit {
        let files = message["files"]
            .as_object()
            .map(|o| o.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default();
        let removed = message["removed"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        Exit { status: message["status"].as_i64().unwrap_or(1) as i32, files, removed }
    }
}

use super::foreground::Foreground;
use super::session::{Line, SessionId};
use super::{Lab, Output};

impl Lab {
    /// The program holding `id`'s terminal, if a Python program does.
    pub fn python_program(&self, id: SessionId) -> Option<&PythonProgram> {
        match &self.session(id)?.foreground {
            Foreground::Python(program) => Some(program),
            _ => None,
        }
    }

    /// The sessions whose Python program a runtime has yet to start (`started` says which it
    /// has): a line just handed them the terminal.
    pub fn python_to_start(&self, started: impl Fn(SessionId) -> bool) -> Vec<SessionId> {
        self.sessions.iter().map(|s| s.id).filter(|id| self.python_program(*id).is_some() && !started(*id)).collect()
    }

    /// What the program of session `id` is to be started with.
    pub fn python_launch(&self, id: SessionId) -> Option<Launch> {
        let program = self.python_program(id)?;
        let session = self.session(id)?;
        let host = self.host(&session.host)?;
        let files = host
            .fs
            .file_paths()
            .into_iter()
            .filter_map(|p| Some((p.clone(), host.fs.read(&p).ok()?.to_string())))
            .collect();
        Some(Launch {
            args: program.args.clone(),
            cwd: session.cwd.clone(),
            home: host.home.clone(),
            env: session.env.clone(),
            files,
            dirs: host.fs.dir_paths(),
            stdin: program.stdin.clone(),
            seed: self.seed ^ self.cloud.now.0 as u64,
        })
    }

    fn python_mut(&mut self, id: SessionId) -> Option<&mut PythonProgram> {
        match &mut self.sessions.iter_mut().find(|s| s.id == id)?.foreground {
            Foreground::Python(program) => Some(program),
            _ => None,
        }
    }

    /// The program printed `text`: it goes to the terminal as it comes.
    pub fn python_printed(&mut self, id: SessionId, text: &str) {
        // Output joins the last piece until it is this big; then a new piece starts, so the
        // transcript's limits (old output scrolls away) hold for a program printing for ever.
        const PIECE: usize = 16 * 1024;
        if let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) {
            match session.transcript.last_mut() {
                Some(Line::Output(last)) if last.len() + text.len() <= PIECE => last.push_str(text),
                _ => session.show(Line::Output(text.to_string())),
            }
        }
    }

    /// The program waits for a line; the terminal shows `prompt` on the input line. The
    /// prompt was printed as output (`>>> `, `input("Name? ")`'s question): it moves from
    /// the output to the input line, where the typed line will follow it.
    pub fn python_wants_input(&mut self, id: SessionId, prompt: &str) {
        let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) else { return };
        if let Some(Line::Output(last)) = session.transcript.last_mut() {
            if !prompt.is_empty() && last.ends_with(prompt) {
                last.truncate(last.len() - prompt.len());
                if last.is_empty() {
                    session.transcript.pop();
                }
            }
        }
        if let Some(program) = self.python_mut(id) {
            program.prompt = prompt.to_string();
        }
    }

    /// While the runtime starts (Python loads in the browser), the input line says so.
    pub fn python_starting(&mut self, id: SessionId, status: &str) {
        if let Some(program) = self.python_mut(id) {
            program.prompt = status.to_string();
        }
    }

    /// A line typed for the program: the transcript shows it after its prompt.
    pub fn python_typed(&mut self, id: SessionId, line: &str) {
        let Some(program) = self.python_mut(id) else { return };
        let prompt = std::mem::take(&mut program.prompt);
        if let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) {
            session.show(Line::Input { prompt, text: super::session::kept(line) });
        }
    }

    /// The program ended: the files it wrote go into the host's file system, its status
    /// into `$?`, and the terminal back to the shell, which runs the rest of the line the
    /// program was started from (`python3 app.py && echo ok`). A program ended by Ctrl+C
    /// (status 130, as CPython re-raises SIGINT) abandons that rest, as bash does.
    pub fn python_exited(&mut self, id: SessionId, exit: &Exit) -> Output {
        let now = self.cloud.now.0;
        let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) else { return Output::default() };
        let mut text = String::new();
        if let Some(host) = self.hosts.iter_mut().find(|h| h.name == session.host) {
            for (path, content) in &exit.files {
                if let Some((parent, _)) = path.rsplit_once('/') {
                    if !parent.is_empty() {
                        let _ = host.fs.mkdir(parent, true);
                    }
                }
                if let Err(e) = host.fs.write(path, content, false, now) {
                    text.push_str(&format!("python3: {path}: {}\n", e.message()));
                }
            }
            for path in &exit.removed {
                let _ = host.fs.remove(path, false);
            }
        }
        if !matches!(session.foreground, Foreground::Python(_)) {
            session.last_status = exit.status;
            return Output { text, ..Output::default() };
        }
        if exit.status == 130 {
            session.rest_of_line.clear();
        }
        if !text.is_empty() {
            session.show(Line::Output(text.clone()));
        }
        let rest = self.program_exited(id, exit.status);
        text.push_str(&rest.text);
        Output { text, ..rest }
    }
}

/// What a front end runs Python programs with, as the script runner and `dblab shell` drive
/// it (natively [`native::NativePython`]; the browser's `ui::python` runs programs on their
/// own, with the same [`driver::Driver`]).
pub trait Runtime {
    /// Starts the programs that lines just handed terminals to, and lets every program run
    /// until each waits on a typed line or for ever. Returns what they printed, in order.
    fn settle(&mut self, lab: &mut Lab) -> String;
    /// As [`Runtime::settle`], but a program that computes without a word is left running
    /// after a moment instead of waited for (what comes next is a Ctrl+C for it).
    fn settle_briefly(&mut self, lab: &mut Lab) -> String;
    /// Whether the program of session `id` waits for a typed line.
    fn wants_line(&self, id: SessionId) -> bool;
    /// A line typed for the program of session `id` (`None`: Ctrl+D).
    fn type_line(&mut self, lab: &mut Lab, id: SessionId, line: Option<&str>);
    /// Ctrl+C in session `id`.
    fn interrupt(&mut self, id: SessionId);
    /// Ends every program (the end of a script).
    fn stop_all(&mut self, lab: &mut Lab);
}

impl Lab {
    /// Ends every Python program waiting to start, saying why it cannot run here: for a
    /// front end without a Python runtime.
    pub fn python_unavailable(&mut self, why: &str) -> String {
        let waiting: Vec<SessionId> =
            self.sessions.iter().filter(|s| matches!(s.foreground, Foreground::Python(_))).map(|s| s.id).collect();
        let mut printed = String::new();
        for id in waiting {
            let text = format!("python3: {why}\n");
            self.python_printed(id, &text);
            printed.push_str(&text);
            printed.push_str(&self.python_exited(id, &Exit { status: 127, ..Exit::default() }).text);
        }
        printed
    }
}
