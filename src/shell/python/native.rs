//! Python programs as processes of the system's CPython: the runtime of `dblab shell`,
//! `dblab replay` and the native tests.
//!
//! Each program is one `python3` process of the virtualenv `scripts/setup.sh` makes (the
//! pinned boto3, botocore and redis-py; `DBLAB_PYTHON` names another interpreter). It runs the
//! `_dblab` package, embedded in this binary and written to a scratch directory, which reads
//! the [`Launch`](super::Launch) on its standard input and then speaks to the lab in JSON
//! lines on its standard input and output. The host's files are laid out under a private
//! directory standing for the host's `/`.
//!
//! [`NativePython::settle`] is the heart: it lets every running program go until each waits
//! for something only the learner can give (a typed line) or for ever (a subscriber's
//! `listen()`), moving the lab's clock to the next deadline when all of them wait on time
//! alone, exactly as a learner who waits would see. The lab reads the programs' pipes itself,
//! without blocking, and looks for the next message for a moment before it sleeps in `poll`:
//! a request answered in microseconds should not wait for a thread to wake.

use super::driver::{Driver, Step};
use super::Exit;
use crate::shell::session::SessionId;
use crate::shell::Lab;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// The `_dblab` package, file by file.
const PACKAGE: &[(&str, &str)] = &[
    ("__init__.py", include_str!("_dblab/__init__.py")),
    ("__main__.py", include_str!("_dblab/__main__.py")),
    ("aws.py", include_str!("_dblab/aws.py")),
    ("bytecode.py", include_str!("_dblab/bytecode.py")),
    ("channel.py", include_str!("_dblab/channel.py")),
    ("clock.py", include_str!("_dblab/clock.py")),
    ("console.py", include_str!("_dblab/console.py")),
    ("files.py", include_str!("_dblab/files.py")),
    ("host.py", include_str!("_dblab/host.py")),
    ("net.py", include_str!("_dblab/net.py")),
    ("program.py", include_str!("_dblab/program.py")),
    ("wire.py", include_str!("_dblab/wire.py")),
];

/// How long a program may compute without a word to the lab before it is stopped (real time:
/// a runaway loop in a test must not hang the suite).
const BUSY_LIMIT: Duration = Duration::from_secs(120);
/// How long the lab looks for a program's next message before it sleeps until one comes.
const SPIN: Duration = Duration::from_micros(300);
/// How long to wait for a message from programs that all wait on something.
const QUIET: Duration = Duration::from_millis(30);

enum Message {
    Line(String),
    Stderr(String),
    Gone,
}

struct Process {
    /// Which run this is: messages from an earlier program of the same session are stale.
    run: u64,
    child: Child,
    stdin: ChildStdin,
    /// The program's line to the lab, and its standard error (what C code or a crash writes),
    /// both read without blocking ([`NativePython::read_available`]).
    stdout: ChildStdout,
    stderr: ChildStderr,
    /// Standard error is still open (a closed pipe is always "readable": not polled).
    stderr_open: bool,
    /// What arrived after the last whole line.
    unread: Vec<u8>,
    /// The program closed its end: its `Gone` has been told.
    ended: bool,
    root: PathBuf,
}

pub struct NativePython {
    python: PathBuf,
    scratch: PathBuf,
    runs: u64,
    processes: BTreeMap<SessionId, Process>,
    /// What the programs said, read and not handled yet: whole lines of the lab's line, and
    /// what they wrote to standard error.
    inbox: VecDeque<(SessionId, u64, Message)>,
    driver: Driver,
}

/// The interpreter to run: `DBLAB_PYTHON`, else the virtualenv `scripts/setup.sh` makes.
pub fn interpreter() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DBLAB_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME")?;
    let venv = Path::new(&home).join(".cache/dblab/venv/bin/python3");
    venv.exists().then_some(venv)
}

impl NativePython {
    /// A runtime, if the lab's Python is installed here.
    pub fn new() -> Result<NativePython, String> {
        let python = interpreter().ok_or("the lab's Python is not set up on this machine: run `make setup`")?;
        let scratch = std::env::temp_dir().join(format!("dblab-python-{}-{}", std::process::id(), unique()));
        let package = scratch.join("lib").join("_dblab");
        std::fs::create_dir_all(&package).map_err(|e| format!("{}: {e}", package.display()))?;
        for (name, text) in PACKAGE {
            std::fs::write(package.join(name), text).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(NativePython {
            python,
            scratch,
            runs: 0,
            processes: BTreeMap::new(),
            inbox: VecDeque::new(),
            driver: Driver::new(),
        })
    }

    /// Whether session `id` has a program waiting for a line typed in its terminal.
    pub fn wants_line(&self, id: SessionId) -> bool {
        self.driver.wants_line(id)
    }

    /// Whether a program runs in session `id`.
    pub fn runs(&self, id: SessionId) -> bool {
        self.processes.contains_key(&id)
    }

    /// A line typed for the program of session `id` (`None`: Ctrl+D, the end of input).
    pub fn type_line(&mut self, lab: &mut Lab, id: SessionId, line: Option<&str>) {
        if let Some(answer) = self.driver.type_line(lab, id, line) {
            if let Some(process) = self.processes.get_mut(&id) {
                reply(&mut process.stdin, answer);
            }
        }
    }

    /// Ctrl+C: `KeyboardInterrupt` in the program of session `id`.
    pub fn interrupt(&mut self, id: SessionId) {
        self.driver.interrupt(id);
        if let Some(process) = self.processes.get_mut(&id) {
            let _ = Command::new("kill").arg("-INT").arg(process.child.id().to_string()).status();
        }
    }

    /// Starts the programs that lines handed terminals to, then lets every program run until
    /// each waits on the learner or for ever. Returns what they printed, in order.
    pub fn settle(&mut self, lab: &mut Lab) -> String {
        self.settle_within(lab, BUSY_LIMIT, true)
    }

    /// Runs programs until each waits, or until the busy ones have been silent for `patience`
    /// (when `stop_stuck`, a program silent that long is stopped; otherwise it keeps running
    /// and the call returns, so that a Ctrl+C can follow).
    pub fn settle_within(&mut self, lab: &mut Lab, patience: Duration, stop_stuck: bool) -> String {
        let mut printed = String::new();
        self.start_new(lab, &mut printed);
        let mut busy_since = Instant::now();
        while !self.processes.is_empty() {
            let busy = self.processes.keys().any(|id| !self.driver.waits(*id));
            match self.next_message(if busy { Duration::from_millis(200) } else { QUIET }) {
                Some((id, run, message)) => {
                    busy_since = Instant::now();
                    if self.processes.get(&id).is_none_or(|p| p.run != run) {
                        continue;
                    }
                    self.handle(lab, id, message, &mut printed);
                    self.retry_waiting(lab);
                }
                None if busy => {
                    if busy_since.elapsed() > patience {
                        if !stop_stuck {
                            break;
                        }
                        let stuck: Vec<SessionId> =
                            self.processes.keys().filter(|id| !self.driver.waits(**id)).copied().collect();
                        for id in stuck {
                            printed.push_str("dblab: the program ran two minutes without a word: stopped\n");
                            self.kill(lab, id, 137, &mut printed);
                        }
                    }
                }
                None => {
                    if self.retry_waiting(lab) {
                        continue;
                    }
                    // Everything waits. On time alone? Then time passes.
                    match self.driver.next_deadline() {
                        Some(at) if at > lab.cloud.now.0 => {
                            lab.advance(crate::cloud::time::Duration(at - lab.cloud.now.0));
                            self.retry_waiting(lab);
                        }
                        Some(_) => {
                            self.retry_waiting(lab);
                        }
                        None => break,
                    }
                }
            }
        }
        printed
    }

    /// The next message from a program, within `timeout`. A program that just asked something
    /// usually asks again within microseconds of its answer, so the lab looks for a while
    /// before it sleeps: waking a sleeping thread costs more than the lab's whole answer.
    fn next_message(&mut self, timeout: Duration) -> Option<(SessionId, u64, Message)> {
        let looking = Instant::now();
        loop {
            if self.inbox.is_empty() {
                self.read_available();
            }
            if let Some(message) = self.inbox.pop_front() {
                return Some(message);
            }
            let looked = looking.elapsed();
            if looked >= timeout {
                return None;
            }
            if looked < SPIN {
                std::thread::yield_now();
            } else {
                self.wait_for_output(timeout - looked);
            }
        }
    }

    /// Reads what every program has written so far, without waiting: standard error first
    /// (so a crash's message comes before its end), then whole lines of the lab's line; a
    /// program that closed that line is `Gone`, after its last words.
    fn read_available(&mut self) {
        for (&id, p) in self.processes.iter_mut().filter(|(_, p)| !p.ended) {
            read_errors(&mut self.inbox, id, p);
            let (output, closed) = read_pipe(&mut p.stdout);
            let known = p.unread.len();
            p.unread.extend_from_slice(&output);
            // Lines end at newlines in what just came (what was there before had none).
            let mut start = 0;
            let mut search = known;
            while let Some(at) = p.unread[search..].iter().position(|&b| b == b'\n') {
                let end = search + at;
                let text = String::from_utf8_lossy(&p.unread[start..end]).into_owned();
                self.inbox.push_back((id, p.run, Message::Line(text)));
                start = end + 1;
                search = start;
            }
            p.unread.drain(..start);
            if closed {
                p.ended = true;
                if !p.unread.is_empty() {
                    let text = String::from_utf8_lossy(&std::mem::take(&mut p.unread)).into_owned();
                    self.inbox.push_back((id, p.run, Message::Line(text)));
                }
                read_errors(&mut self.inbox, id, p);
                self.inbox.push_back((id, p.run, Message::Gone));
            }
        }
    }

    /// Sleeps until a program writes to the lab, or `most` has passed.
    fn wait_for_output(&self, most: Duration) {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let mut fds: Vec<PollFd> = self
            .processes
            .values()
            .filter(|p| !p.ended)
            .flat_map(|p| {
                let stderr = p.stderr_open.then(|| PollFd::new(&p.stderr, PollFlags::IN));
                std::iter::once(PollFd::new(&p.stdout, PollFlags::IN)).chain(stderr)
            })
            .collect();
        let timeout = Timespec { tv_sec: most.as_secs() as i64, tv_nsec: most.subsec_nanos() as i64 };
        if fds.is_empty() || poll(&mut fds, Some(&timeout)).is_err() {
            std::thread::sleep(most);
        }
    }

    /// Stops every program (the end of a script or of `dblab shell`).
    pub fn stop_all(&mut self, lab: &mut Lab) {
        let ids: Vec<SessionId> = self.processes.keys().copied().collect();
        let mut ignored = String::new();
        for id in ids {
            self.kill(lab, id, 143, &mut ignored);
        }
    }

    fn start_new(&mut self, lab: &mut Lab, printed: &mut String) {
        let waiting = lab.python_to_start(|id| self.processes.contains_key(&id));
        for id in waiting {
            if let Err(why) = self.start(lab, id) {
                let text = format!("python3: {why}\n");
                lab.python_printed(id, &text);
                printed.push_str(&text);
                printed.push_str(&lab.python_exited(id, &Exit { status: 127, ..Exit::default() }).text);
            }
        }
    }

    fn start(&mut self, lab: &mut Lab, id: SessionId) -> Result<(), String> {
        let launch = lab.python_launch(id).ok_or("no program to start")?;
        self.runs += 1;
        let run = self.runs;
        let root = self.scratch.join(format!("run-{}", self.runs));
        std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
        let lib = self.scratch.join("lib");
        let boot = format!("import sys; sys.path.insert(0, {:?}); import _dblab.__main__", lib.display().to_string());
        let mut child = Command::new(&self.python)
            .args(["-I", "-X", "utf8", "-u", "-c", &boot])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", self.python.display()))?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        // The lab reads the program's pipes itself, between its other work: a thread reading
        // them would have to be woken for every message, which costs more than the answer.
        for pipe in [rustix::fd::AsFd::as_fd(&stdout), rustix::fd::AsFd::as_fd(&stderr)] {
            let flags = rustix::fs::fcntl_getfl(pipe).map_err(|e| e.to_string())?;
            rustix::fs::fcntl_setfl(pipe, flags | rustix::fs::OFlags::NONBLOCK).map_err(|e| e.to_string())?;
        }
        let mut first = launch.to_json(&root.display().to_string()).to_string();
        first.push('\n');
        stdin.write_all(first.as_bytes()).map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        self.processes.insert(
            id,
            Process { run, child, stdin, stdout, stderr, stderr_open: true, unread: Vec::new(), ended: false, root },
        );
        Ok(())
    }

    fn handle(&mut self, lab: &mut Lab, id: SessionId, message: Message, printed: &mut String) {
        match message {
            Message::Stderr(text) => {
                lab.python_printed(id, &text);
                printed.push_str(&text);
            }
            Message::Gone => {
                if self.processes.contains_key(&id) {
                    // It ended without saying how: it crashed, or was killed.
                    // A signal's end is 128 + its number, as bash reports it (134 for abort()).
                    use std::os::unix::process::ExitStatusExt;
                    let status = self
                        .processes
                        .get_mut(&id)
                        .and_then(|p| p.child.wait().ok())
                        .and_then(|s| s.code().or_else(|| s.signal().map(|n| 128 + n)));
                    self.kill(lab, id, status.unwrap_or(1), printed);
                }
            }
            Message::Line(line) => match self.driver.message(lab, id, &line, printed) {
                Step::Nothing => {}
                Step::Reply(answer) => self.send(id, answer),
                Step::Ended(exit) => {
                    self.finish(id);
                    printed.push_str(&self.driver.ended(lab, id, &exit).text);
                }
            },
        }
    }

    fn send(&mut self, id: SessionId, answer: Value) {
        if let Some(p) = self.processes.get_mut(&id) {
            reply(&mut p.stdin, answer);
        }
    }

    /// Asks again every request that had to wait; true if any was answered.
    fn retry_waiting(&mut self, lab: &mut Lab) -> bool {
        let answers = self.driver.retry(lab);
        let answered = !answers.is_empty();
        for (id, answer) in answers {
            self.send(id, answer);
        }
        answered
    }

    /// The process of session `id` is done: it is reaped and its files removed.
    fn finish(&mut self, id: SessionId) {
        if let Some(mut p) = self.processes.remove(&id) {
            let _ = p.child.wait();
            let _ = std::fs::remove_dir_all(&p.root);
        }
    }

    fn kill(&mut self, lab: &mut Lab, id: SessionId, status: i32, printed: &mut String) {
        if let Some(p) = self.processes.get_mut(&id) {
            let _ = p.child.kill();
        }
        self.finish(id);
        printed.push_str(&self.driver.ended(lab, id, &Exit { status, ..Exit::default() }).text);
    }
}

/// The native runtime, started on first use: a script or shell that never runs `python3`
/// needs no interpreter installed.
#[derive(Default)]
pub struct LazyPython {
    runtime: Option<NativePython>,
}

impl LazyPython {
    pub fn new() -> LazyPython {
        LazyPython::default()
    }
}

impl super::Runtime for LazyPython {
    fn settle(&mut self, lab: &mut Lab) -> String {
        let wanted = lab.sessions.iter().any(|s| lab.python_program(s.id).is_some());
        if self.runtime.is_none() && wanted {
            match NativePython::new() {
                Ok(r) => self.runtime = Some(r),
                Err(why) => return lab.python_unavailable(&why),
            }
        }
        self.runtime.as_mut().map(|r| r.settle(lab)).unwrap_or_default()
    }
    fn settle_briefly(&mut self, lab: &mut Lab) -> String {
        match self.runtime.as_mut() {
            Some(r) => r.settle_within(lab, Duration::from_millis(300), false),
            None => self.settle(lab),
        }
    }
    fn wants_line(&self, id: SessionId) -> bool {
        self.runtime.as_ref().is_some_and(|r| r.wants_line(id))
    }
    fn type_line(&mut self, lab: &mut Lab, id: SessionId, line: Option<&str>) {
        if let Some(r) = self.runtime.as_mut() {
            r.type_line(lab, id, line);
        }
    }
    fn interrupt(&mut self, id: SessionId) {
        if let Some(r) = self.runtime.as_mut() {
            r.interrupt(id);
        }
    }
    fn stop_all(&mut self, lab: &mut Lab) {
        if let Some(r) = self.runtime.as_mut() {
            r.stop_all(lab);
        }
    }
}

impl Drop for NativePython {
    fn drop(&mut self) {
        for p in self.processes.values_mut() {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// What a program wrote to standard error since last asked, as one message.
fn read_errors(inbox: &mut VecDeque<(SessionId, u64, Message)>, id: SessionId, p: &mut Process) {
    let (errors, closed) = read_pipe(&mut p.stderr);
    p.stderr_open &= !closed;
    if !errors.is_empty() {
        inbox.push_back((id, p.run, Message::Stderr(String::from_utf8_lossy(&errors).into_owned())));
    }
}

/// What a non-blocking pipe holds now (up to a megabyte: a program writing without pause
/// must not keep the lab reading), and whether its other end has closed.
fn read_pipe(pipe: &mut impl Read) -> (Vec<u8>, bool) {
    let mut got = Vec::new();
    let mut chunk = [0u8; 1 << 16];
    while got.len() < 1 << 20 {
        match pipe.read(&mut chunk) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => return (got, false),
            Err(_) => return (got, true),
        }
    }
    (got, false)
}

fn reply(stdin: &mut ChildStdin, answer: Value) {
    let mut line = answer.to_string();
    line.push('\n');
    // A program that already ended cannot read its answer: nothing to do.
    let _ = stdin.write_all(line.as_bytes()).and_then(|_| stdin.flush());
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
