//! The `Lab`: the whole world in one serialisable value.
//!
//! It holds the simulated cloud (clock, events, services), the hosts and the shell sessions.
//! The UI keeps one `Lab` and re-renders from it; `dblab shell` drives one from stdin; tests make
//! a fresh one per case. Everything a learner does goes through two doors:
//!
//! - [`Lab::exec`]: one line typed in one session (and [`Lab::interrupt`], Ctrl+C;
//!   [`Lab::end_of_input`], Ctrl+D or the end of a script);
//! - [`Lab::advance`]: the clock moves (the UI's clock, or a test).
//!
//! A program that runs outside the shell (Python) holds the terminal with its own
//! [`Foreground`] and, when it ends, calls [`Lab::program_exited`] with its exit status.

use super::command::Ctx;
use super::foreground::Foreground;
use super::host::{Host, HostKind};
use super::interpreter;
use super::session::{kept, Line, Session, SessionId};
use crate::cloud::network::InstanceState;
use crate::cloud::time::{Duration, Timestamp};
use crate::cloud::Cloud;
use serde::{Deserialize, Serialize};

/// The version of the lab's saved format ([`super::save`]); a save from another version is
/// refused politely (the browser keeps it aside and says why). Raise it whenever a saved
/// type's fields change. Format 3: statuses, engines and EC2 states became enums, RDS pending
/// changes a struct, events got a kind, and DynamoDB is always there. Format 4: a file can be
/// a sample of the image (`Node::Sample`, saved as its id), and every host has the samples.
/// Format 5: a session counts the lines its shell read and keeps the rest of a line while a
/// program holds the terminal, and the foreground can be a here-document being read.
pub const LAB_FORMAT_VERSION: u32 = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    pub seed: u64,
    pub started: Timestamp,
    pub cloud: Cloud,
    pub hosts: Vec<Host>,
    pub sessions: Vec<Session>,
    next_session: SessionId,
}

/// What one line produced, for the terminal to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Everything printed, standard output and standard error in order.
    pub text: String,
    /// The screen was cleared (`clear`, Ctrl+L).
    pub clear: bool,
    /// The session ended (`exit`) and is gone from the lab.
    pub closed: bool,
}

/// What Tab completion found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The input with the unique completion (or the longest common prefix) filled in.
    pub input: String,
    /// All candidates when there is more than one.
    pub candidates: Vec<String>,
}

impl Lab {
    /// A fresh lab: the laptop with one session, and CloudShell ready to open.
    pub fn new(seed: u64, start: Timestamp) -> Lab {
        let mut lab = Lab {
            seed,
            started: start,
            cloud: Cloud::new(seed, start),
            hosts: vec![Host::laptop(), Host::cloudshell()],
            sessions: Vec::new(),
            next_session: 1,
        };
        lab.open_session("laptop").expect("the laptop exists");
        lab
    }

    pub fn now(&self) -> Timestamp {
        self.cloud.now
    }

    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.name == name)
    }

    /// What a host is called in a terminal's tab: an EC2 instance by its Name tag when it has
    /// one (a phone's tab holds `app`, not `i-0a1b2c3d4e5f67890`), any other by its name.
    pub fn host_label(&self, host: &str) -> String {
        self.cloud
            .network
            .instance(host)
            .and_then(|i| i.tags.iter().find(|(k, _)| k == "Name"))
            .map_or_else(|| host.to_string(), |(_, name)| name.clone())
    }

    pub fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Opens a new shell on `host`.
    pub fn open_session(&mut self, host: &str) -> Result<SessionId, String> {
        let h = self
            .host(host)
            .ok_or_else(|| format!("ssh: Could not resolve hostname {host}: Name or service not known"))?;
        let (home, mut env) = (h.home.clone(), h.env.clone());
        if h.kind == HostKind::CloudShell {
            // CloudShell's container points every shell at its credentials endpoint.
            env.extend(super::endpoints::cloudshell_environment(&self.cloud));
        }
        let id = self.next_session;
        self.next_session += 1;
        let session = Session::new(id, host, &home, env);
        self.sessions.push(session);
        Ok(id)
    }

    /// The first session on `host`, opened if there is none.
    pub fn session_on(&mut self, host: &str) -> Result<SessionId, String> {
        match self.sessions.iter().find(|s| s.host == host) {
            Some(s) => Ok(s.id),
            None => self.open_session(host),
        }
    }

    /// A host by its name (`laptop`, `cloudshell`, an instance id), or a running EC2 instance's
    /// host by the instance's Name tag (`app`).
    pub fn host_named(&self, name: &str) -> Option<&Host> {
        self.host(name).or_else(|| {
            let instance = self
                .cloud
                .network
                .instances
                .iter()
                .find(|i| i.state == InstanceState::Running && i.name_tag() == Some(name))?;
            self.host(&instance.id)
        })
    }

    /// The `tab`-th terminal opened on `host` (counting from 1, in the order they were opened;
    /// a tab that `ssh` took elsewhere is still its host's tab), opening tabs on it until there
    /// are that many. An EC2 instance named by its Name tag has only the terminals that `ssh`
    /// took there: none is opened on it from nowhere.
    pub fn session_tab(&mut self, host: &str, tab: usize) -> Result<SessionId, String> {
        if self.host(host).is_none() {
            if let Some(ec2) = self.host_named(host).map(|h| h.name.clone()) {
                let open: Vec<SessionId> = self.sessions.iter().filter(|s| s.host == ec2).map(|s| s.id).collect();
                return open
                    .get(tab.max(1) - 1)
                    .copied()
                    .ok_or_else(|| format!("no terminal is on {host}: ssh to it first"));
            }
        }
        loop {
            let open: Vec<SessionId> = self.sessions.iter().filter(|s| s.opened_on() == host).map(|s| s.id).collect();
            if let Some(id) = open.get(tab.max(1) - 1) {
                return Ok(*id);
            }
            self.open_session(host)?;
        }
    }

    /// Closes a terminal. The lab always keeps one open: when the last one closes, a fresh
    /// shell on the laptop takes its place, as a terminal app opens a new window.
    pub fn close_session(&mut self, id: SessionId) {
        self.sessions.retain(|s| s.id != id);
        self.keep_a_terminal_open();
    }

    fn keep_a_terminal_open(&mut self) {
        if self.sessions.is_empty() {
            let _ = self.open_session("laptop");
        }
    }

    /// The prompt a session shows now: the shell's, or an interactive program's.
    pub fn prompt(&self, id: SessionId) -> String {
        let Some(session) = self.session(id) else { return String::new() };
        session.foreground.prompt(session, self.host(&session.host), &self.cloud)
    }

    /// Moves the clock forward by `by`, running what falls due.
    pub fn advance(&mut self, by: Duration) -> usize {
        let target = self.cloud.now.plus(by);
        let ran = self.cloud.advance_to(target);
        self.settle(ran > 0);
        ran
    }

    /// What follows any change of the lab, in one place: hosts follow the cloud (when events
    /// ran), and every waiting redis-cli tab gets its published messages or sees its blocking
    /// command wake or time out on the clock.
    pub(crate) fn settle(&mut self, events_ran: bool) {
        if events_ran {
            self.sync_hosts();
        }
        let now = self.cloud.now.0;
        for host in self.hosts.iter_mut() {
            super::redis_cli::deliver(host, &mut self.cloud, &mut self.sessions, now);
        }
    }

    /// Keeps the hosts in step with the cloud: a running EC2 instance is a host; when it stops or
    /// terminates, its host goes, and shells connected to it fall back to where they came from.
    pub fn sync_hosts(&mut self) {
        let running: Vec<crate::cloud::network::Instance> =
            self.cloud.network.instances.iter().filter(|i| i.state == InstanceState::Running).cloned().collect();
        for instance in &running {
            if self.host(&instance.id).is_none() {
                self.hosts.push(Host::ec2(instance));
            }
        }
        let gone: Vec<String> = self
            .hosts
            .iter()
            .filter(|h| h.kind == super::host::HostKind::Ec2 && !running.iter().any(|i| i.id == h.name))
            .map(|h| h.name.clone())
            .collect();
        for name in &gone {
            for session in self.sessions.iter_mut() {
                while session.host == *name {
                    let Some(address) = session.return_from_ssh() else { break };
                    // Whatever ran there (a client, a Python program) went with the
                    // connection, and so does the rest of its line; ssh exits with 255.
                    session.foreground = Foreground::Shell;
                    session.rest_of_line.clear();
                    session.last_status = 255;
                    session.show(Line::Output(format!("Connection to {address} closed by remote host.\n")));
                }
            }
            self.sessions.retain(|s| s.host != *name);
            self.hosts.retain(|h| h.name != *name);
        }
        self.keep_a_terminal_open();
    }

    /// Jumps to the next scheduled event and runs it; false when nothing is scheduled.
    pub fn advance_to_next_event(&mut self) -> bool {
        match self.cloud.events.next_due() {
            Some(at) => {
                self.cloud.advance_to(at);
                self.settle(true);
                true
            }
            None => false,
        }
    }

    /// Runs one line typed in a session and returns what to show.
    pub fn exec(&mut self, id: SessionId, line: &str) -> Output {
        let prompt = self.prompt(id);
        let line = line.trim_end_matches(['\n', '\r']);
        let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) else {
            return Output { text: "dblab: no such session\n".into(), ..Output::default() };
        };
        let echo = if session.foreground.hides_input() { String::new() } else { kept(line) };
        session.show(Line::Input { prompt, text: echo });
        if !session.foreground.is_program() {
            // The shell reads this line (at its prompt or in a here-document): bash counts it.
            session.lines_read = session.lines_read.saturating_add(1);
        }
        self.in_session(id, |ctx, text| match ctx.session.foreground.clone() {
            Foreground::Shell => interpreter::run_line(ctx, line, text),
            Foreground::HereDoc(reading) => interpreter::read_here_doc(ctx, reading, line, text),
            program => {
                program.answer(ctx, line);
                text.push_str(&std::mem::take(&mut ctx.stdout));
                text.push_str(&std::mem::take(&mut ctx.stderr));
                if ctx.session.foreground == Foreground::Shell {
                    // The program ended (`\q`, `exit`): the rest of its line runs.
                    interpreter::resume(ctx, text);
                }
            }
        })
    }

    /// A program holding the terminal that runs outside the shell (Python) has ended with exit
    /// status `status`: the terminal is the shell's again, `$?` is `status`, and the rest of
    /// the line the program was started from runs now (`python3 load.py && echo loaded`).
    /// Returns what that printed, which is also in the session's transcript. Nothing happens
    /// (an empty output) when no program holds the terminal: it already ended, say by Ctrl+C
    /// ([`Lab::interrupt`], which also drops the rest of the line, as bash does).
    pub fn program_exited(&mut self, id: SessionId, status: i32) -> Output {
        if !self.session(id).is_some_and(|s| s.foreground.is_program()) {
            return Output::default();
        }
        self.in_session(id, |ctx, text| {
            ctx.give_back(status);
            interpreter::resume(ctx, text);
        })
    }

    /// The end of input (Ctrl+D, or the end of a script or of `dblab shell`'s stdin): a
    /// here-document being read ends where it is, with bash's warning, and its line runs.
    /// Returns what that printed; otherwise nothing happens.
    pub fn end_of_input(&mut self, id: SessionId) -> Output {
        let Some(Foreground::HereDoc(reading)) = self.session(id).map(|s| s.foreground.clone()) else {
            return Output::default();
        };
        self.in_session(id, |ctx, text| interpreter::end_of_input(ctx, reading, text))
    }

    /// Runs `work` in a session with its context, then does what follows any line: `exit`
    /// ends the session (or the ssh connection), `clear` wipes the screen, the output joins
    /// the transcript, and other tabs get what they wait for.
    fn in_session(&mut self, id: SessionId, work: impl FnOnce(&mut Ctx, &mut String)) -> Output {
        let Lab { cloud, hosts, sessions, .. } = self;
        let Some(session) = sessions.iter_mut().find(|s| s.id == id) else {
            return Output { text: "dblab: no such session\n".into(), ..Output::default() };
        };
        let Some(host) = hosts.iter_mut().find(|h| h.name == session.host) else {
            return Output { text: "dblab: the host of this session is gone\n".into(), ..Output::default() };
        };
        let mut ctx = Ctx {
            cloud,
            host,
            session,
            stdin: None,
            stdout: String::new(),
            stderr: String::new(),
            clear: false,
            exit: false,
        };
        let mut text = String::new();
        work(&mut ctx, &mut text);
        let (clear, mut closed) = (ctx.clear, ctx.exit);
        if closed {
            if let Some(address) = session.return_from_ssh() {
                // `exit` in an ssh session ends the connection, not the terminal.
                if !text.ends_with("logout\n") {
                    text.push_str("logout\n");
                }
                text.push_str(&format!("Connection to {address} closed.\n"));
                closed = false;
            }
        }
        if clear {
            session.transcript.clear();
        } else if !text.is_empty() {
            session.show(Line::Output(text.clone()));
        }
        if closed {
            self.close_session(id);
        }
        // Other tabs may be waiting on this line: subscribers get published messages, blocked
        // commands retry (or time out on the clock, which `sleep` may have moved).
        self.settle(true);
        Output { text, clear, closed }
    }

    /// Ctrl+L: wipes a session's screen without running anything.
    pub fn clear_screen(&mut self, id: SessionId) {
        if let Some(s) = self.sessions.iter_mut().find(|s| s.id == id) {
            s.transcript.clear();
        }
    }

    /// Ctrl+C: abandons the line being typed, the here-document being read, or the program
    /// holding the terminal and the rest of the line it was started from (bash abandons a
    /// line whose command was interrupted).
    pub fn interrupt(&mut self, id: SessionId, partial: &str) {
        let prompt = self.prompt(id);
        let Lab { hosts, sessions, cloud, .. } = self;
        if let Some(s) = sessions.iter_mut().find(|s| s.id == id) {
            if let Foreground::RedisCli(cli) = &s.foreground {
                if let Some(host) = hosts.iter_mut().find(|h| h.name == s.host) {
                    super::redis_cli::hang_up(host, cloud, cli);
                }
            }
            let shown = if s.foreground.hides_input() { "" } else { partial };
            s.show(Line::Input { prompt, text: format!("{shown}^C") });
            if matches!(s.foreground, Foreground::Python(_)) {
                // The program decides what Ctrl+C does (KeyboardInterrupt): its runtime
                // delivers it, and the program keeps the terminal until it ends.
                return;
            }
            if s.foreground.is_program() {
                s.show(Line::Output("\n".into()));
            }
            s.foreground = Foreground::Shell;
            s.rest_of_line.clear();
            s.last_status = 130;
        }
    }

    /// Completes a partly typed line: command names, then `aws` services and operations.
    pub fn complete(&self, id: SessionId, input: &str) -> Completion {
        let Some(session) = self.session(id) else { return Completion::default() };
        if session.foreground != Foreground::Shell {
            return Completion { input: input.to_string(), candidates: Vec::new() };
        }
        let words: Vec<&str> = input.split(' ').collect();
        let (done, partial) = words.split_at(words.len() - 1);
        let partial = partial[0];
        let candidates: Vec<String> = match done {
            [] => super::commands().map(|c| c.name().to_string()).collect(),
            ["aws"] => super::aws::service_names(),
            ["aws", service] => super::aws::operation_names(service),
            _ => Vec::new(),
        };
        let mut matching: Vec<String> = candidates.into_iter().filter(|c| c.starts_with(partial)).collect();
        matching.sort();
        matching.dedup();
        let prefix = done.iter().map(|w| format!("{w} ")).collect::<String>();
        match matching.len() {
            0 => Completion { input: input.to_string(), candidates: Vec::new() },
            1 => Completion { input: format!("{prefix}{} ", matching[0]), candidates: Vec::new() },
            _ => {
                let common = common_prefix(&matching);
                Completion { input: format!("{prefix}{common}"), candidates: matching }
            }
        }
    }
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut len = first.len();
    for w in &words[1..] {
        len = len.min(first.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count());
    }
    first[..len].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> Lab {
        Lab::new(1, Timestamp::from_civil(2026, 11, 26, 10, 0, 0))
    }

    /// A lab with one running instance (Name tag `name`), open to ssh from the laptop, and
    /// its CloudShell session.
    fn lab_with_instance(name: Option<&str>) -> (Lab, SessionId) {
        let mut lab = lab();
        let cs = lab.session_on("cloudshell").unwrap();
        let tags = name
            .map(|n| format!(" --tag-specifications 'ResourceType=instance,Tags=[{{Key=Name,Value={n}}}]'"))
            .unwrap_or_default();
        lab.exec(cs, &format!("aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro{tags}"));
        lab.exec(cs, "SG=$(aws ec2 describe-security-groups --group-names default --query 'SecurityGroups[0].GroupId' --output text)");
        lab.exec(
            cs,
            "aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 22 --cidr 203.0.113.10/32",
        );
        if let Some(n) = name {
            assert!(lab.session_tab(n, 1).is_err(), "no instance yet");
        }
        lab.exec(cs, "sleep 30");
        (lab, cs)
    }

    #[test]
    fn a_terminal_reaches_an_instance_by_its_name_tag_once_ssh_took_it_there() {
        let (mut lab, cs) = lab_with_instance(Some("app"));
        assert!(lab.host_named("app").is_some_and(|h| h.kind == super::super::host::HostKind::Ec2));
        assert!(lab.session_tab("app", 1).is_err(), "nobody has ssh'd there yet");
        let ip = lab
            .exec(cs, "aws ec2 describe-instances --query 'Reservations[0].Instances[0].PublicIpAddress' --output text")
            .text;
        lab.exec(1, &format!("ssh ec2-user@{}", ip.trim()));
        assert_eq!(lab.session_tab("app", 1), Ok(1));
        assert!(lab.session_tab("app", 2).is_err());
        let on_app = lab.session_tab("app", 1).unwrap();
        assert!(lab.exec(on_app, "hostname").text.starts_with("ip-172-31-"));
        assert!(lab.session_tab("web", 1).is_err(), "no host and no instance of that name");
        // The laptop's second tab is the next one opened on the laptop, though the first is
        // on app now; and the first stays the laptop's first.
        let second = lab.session_tab("laptop", 2).unwrap();
        assert_eq!(lab.sessions.iter().filter(|s| s.opened_on() == "laptop").count(), 2, "one tab opened, not two");
        assert_eq!(lab.session_tab("laptop", 1), Ok(1));
        assert_eq!(lab.session_tab("laptop", 2), Ok(second));
        lab.exec(1, "exit");
        assert!(lab.session_tab("app", 1).is_err());
        assert_eq!(lab.session_tab("laptop", 1), Ok(1));
    }

    #[test]
    fn a_program_on_an_instance_ends_with_its_connection_when_the_instance_goes() {
        let (mut lab, cs) = lab_with_instance(None);
        let ip = lab
            .exec(cs, "aws ec2 describe-instances --query 'Reservations[0].Instances[0].PublicIpAddress' --output text")
            .text;
        let id = lab
            .exec(cs, "aws ec2 describe-instances --query 'Reservations[0].Instances[0].InstanceId' --output text")
            .text;
        lab.exec(1, &format!("ssh ec2-user@{}", ip.trim()));
        // A program holds the terminal on the instance, with more of its line to come.
        lab.exec(1, "python3 app.py; echo after");
        assert!(lab.python_program(1).is_none(), "app.py does not exist: python3 says so and ends");
        lab.exec(1, "cat <<EOF");
        assert!(matches!(lab.session(1).unwrap().foreground, Foreground::HereDoc(_)));
        lab.exec(cs, &format!("aws ec2 terminate-instances --instance-ids {}", id.trim()));
        lab.exec(cs, "sleep 120");
        let session = lab.session(1).unwrap();
        assert_eq!(session.host, "laptop", "back on the laptop");
        assert_eq!(session.foreground, Foreground::Shell, "what ran there went with the connection");
        assert_eq!(session.last_status, 255, "ssh's status when the connection is lost");
        assert!(session.rest_of_line.is_empty());
    }

    #[test]
    fn date_and_sleep_move_the_virtual_clock() {
        let mut lab = lab();
        assert_eq!(lab.exec(1, "date").text, "Thu Nov 26 10:00:00 UTC 2026\n");
        assert_eq!(lab.exec(1, "sleep 90").text, "");
        assert_eq!(lab.exec(1, "date").text, "Thu Nov 26 10:01:30 UTC 2026\n");
        assert_eq!(
            lab.exec(1, "sleep x").text,
            "sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n"
        );
    }

    #[test]
    fn unknown_commands_and_joiners() {
        let mut lab = lab();
        assert_eq!(lab.exec(1, "frobnicate --now").text, "frobnicate: command not found\n");
        assert_eq!(lab.exec(1, "echo $?").text, "127\n");
        assert_eq!(lab.exec(1, "nope && echo no || echo yes").text, "nope: command not found\nyes\n");
    }

    #[test]
    fn files_redirects_and_prompts() {
        let mut lab = lab();
        assert_eq!(lab.prompt(1), "laptop:~$ ");
        lab.exec(1, "mkdir -p lab/data && cd lab");
        assert_eq!(lab.prompt(1), "laptop:~/lab$ ");
        lab.exec(1, "echo '{\"a\": 1}' > data/x.json");
        lab.exec(1, "echo more >> data/x.json");
        assert_eq!(lab.exec(1, "cat data/x.json").text, "{\"a\": 1}\nmore\n");
        assert_eq!(lab.exec(1, "ls ~").text, "lab  samples  welcome.txt\n");
        assert_eq!(lab.exec(1, "cat nope").text, "cat: nope: No such file or directory\n");
        assert_eq!(lab.exec(1, "cd /nowhere").text, "-bash: cd: /nowhere: No such file or directory\n");
        assert_eq!(lab.exec(1, "pwd").text, "/home/learner/lab\n");
    }

    #[test]
    fn history_clear_and_transcript() {
        let mut lab = lab();
        lab.exec(1, "whoami");
        lab.exec(1, "hostname");
        assert_eq!(lab.exec(1, "history").text, "    1  whoami\n    2  hostname\n    3  history\n");
        assert!(lab.exec(1, "clear").clear);
        assert!(lab.session(1).unwrap().transcript.is_empty());
        lab.exec(1, "echo hi");
        assert_eq!(
            lab.session(1).unwrap().transcript,
            [Line::Input { prompt: "laptop:~$ ".into(), text: "echo hi".into() }, Line::Output("hi\n".into())]
        );
    }

    #[test]
    fn exit_ends_the_session() {
        let mut lab = lab();
        let cloudshell = lab.open_session("cloudshell").unwrap();
        let out = lab.exec(cloudshell, "exit");
        assert!(out.closed);
        assert!(lab.session(cloudshell).is_none());
        assert!(lab.session(1).is_some());
    }

    #[test]
    fn the_lab_keeps_a_terminal_open() {
        let mut lab = lab();
        assert!(lab.exec(1, "exit").closed);
        let fresh: Vec<(SessionId, String)> = lab.sessions.iter().map(|s| (s.id, s.host.clone())).collect();
        assert_eq!(fresh, [(2, "laptop".to_string())], "a fresh laptop shell replaces the last one");
        lab.close_session(2);
        assert_eq!(lab.sessions.len(), 1, "closing its tab does the same");
        assert!(lab.session(3).is_some_and(|s| s.transcript.is_empty()));
    }

    #[test]
    fn a_blocked_redis_cli_times_out_as_the_clock_runs() {
        let mut lab = lab();
        lab.exec(1, "redis-cli");
        lab.exec(1, "BLPOP jobs 5");
        let before = lab.session(1).unwrap().transcript.len();
        lab.advance(Duration::from_secs(2));
        assert_eq!(lab.session(1).unwrap().transcript.len(), before, "still blocked after 2 s");
        lab.advance(Duration::from_secs(4));
        let transcript = &lab.session(1).unwrap().transcript;
        assert!(transcript.len() > before, "the timeout shows without another line being typed");
        assert!(matches!(transcript.last(), Some(Line::Output(t)) if t.contains("(nil)")), "{transcript:?}");
    }

    #[test]
    fn skipping_to_the_next_event_runs_it_and_nothing_later() {
        let mut lab = lab();
        let cs = lab.open_session("cloudshell").unwrap();
        assert!(!lab.advance_to_next_event(), "nothing is scheduled in a fresh lab");
        lab.exec(cs, "aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro");
        let due = lab.cloud.events.next_due().expect("the instance's boot is scheduled");
        assert!(lab.advance_to_next_event());
        assert_eq!(lab.now(), due);
        assert_eq!(lab.cloud.network.instances[0].state, "running");
        assert!(lab.host(&lab.cloud.network.instances[0].id.clone()).is_some(), "a running instance is a host");
    }

    #[test]
    fn completion() {
        let lab = lab();
        assert_eq!(lab.complete(1, "hist").input, "history ");
        let c = lab.complete(1, "c");
        assert_eq!(c.input, "c");
        assert!(c.candidates.contains(&"cat".to_string()) && c.candidates.contains(&"clear".to_string()));
        assert_eq!(lab.complete(1, "aws st").input, "aws sts ");
        assert_eq!(lab.complete(1, "aws sts get-c").input, "aws sts get-caller-identity ");
    }

    #[test]
    fn each_command_sees_what_the_commands_before_it_did() {
        let mut lab = lab();
        assert_eq!(lab.exec(1, "false; echo $?; true && echo $?").text, "1\n0\n");
        assert_eq!(lab.exec(1, "X=1; echo $X; X=$(echo a  b); echo \"[$X]\"").text, "1\n[a b]\n");
        assert_eq!(lab.exec(1, "mkdir -p /tmp/w && cd /tmp/w && echo $(pwd) $PWD").text, "/tmp/w /tmp/w\n");
        assert_eq!(lab.exec(1, "echo a > f; echo \"[$(cat f)]\" # $(rm f)").text, "[a]\n");
        assert_eq!(
            lab.exec(1, "cat < f; cat < nofile; echo $?").text,
            "a\n-bash: nofile: No such file or directory\n1\n"
        );
        assert_eq!(lab.exec(1, "cat - <<< \"$X\"").text, "a b\n");
        assert_eq!(lab.exec(1, "echo x > $(echo p q); echo $?").text, "-bash: $(echo p q): ambiguous redirect\n1\n");
    }

    #[test]
    fn a_here_document_is_read_at_bash_s_prompt_and_expanded_when_its_command_runs() {
        let mut lab = lab();
        assert_eq!(lab.exec(1, "X=old; cat <<EOF > out.txt; cat out.txt").text, "");
        assert_eq!(lab.prompt(1), "> ");
        assert_eq!(lab.complete(1, "ec").candidates, Vec::<String>::new(), "no completion in a body");
        for line in ["$X '$X' \\$X", "$(echo sub)"] {
            assert_eq!(lab.exec(1, line).text, "");
        }
        assert_eq!(lab.exec(1, "EOF").text, "old 'old' $X\nsub\n");
        assert_eq!(lab.prompt(1), "laptop:~$ ");
        assert_eq!(lab.exec(1, "history").text, "    1  X=old; cat <<EOF > out.txt; cat out.txt\n    2  history\n");
    }

    #[test]
    fn ctrl_c_abandons_a_here_document_and_the_end_of_input_ends_it() {
        let mut lab = lab();
        lab.exec(1, "cat > f <<'EOF'");
        lab.exec(1, "typed");
        lab.interrupt(1, "half");
        assert_eq!(lab.session(1).unwrap().foreground, Foreground::Shell);
        assert_eq!(
            lab.session(1).unwrap().transcript.last(),
            Some(&Line::Input { prompt: "> ".into(), text: "half^C".into() }),
            "bash shows `> half^C` and nothing after it"
        );
        assert_eq!(lab.exec(1, "echo $?; cat f").text, "130\ncat: f: No such file or directory\n");
        assert_eq!(lab.end_of_input(1), Output::default(), "nothing to end at the shell's prompt");
        lab.exec(1, "cat <<EOF");
        lab.exec(1, "body");
        let out = lab.end_of_input(1);
        assert_eq!(out.text, "-bash: warning: here-document at line 4 delimited by end-of-file (wanted `EOF')\nbody\n");
        assert_eq!(lab.prompt(1), "laptop:~$ ");
    }

    #[test]
    fn a_line_goes_on_when_the_program_that_took_the_terminal_ends() {
        let mut lab = lab();
        assert!(lab.exec(1, "mysql -u root && echo connected; echo \"status $?\"").text.contains("Welcome"));
        assert_eq!(lab.exec(1, "\\q").text, "Bye\nconnected\nstatus 0\n");
        lab.exec(1, "redis-cli; echo \"redis-cli ended: $?\"");
        assert_eq!(lab.exec(1, "quit").text, "redis-cli ended: 0\n");
        // A here-document is read before the line runs, as bash reads it: then the program,
        // then, once it ends, the command that reads the body.
        lab.exec(1, "redis-cli; cat <<EOF");
        lab.exec(1, "read first");
        assert!(matches!(lab.exec(1, "EOF").text.as_str(), ""), "redis-cli holds the terminal");
        assert_eq!(lab.exec(1, "exit").text, "read first\n");
        // Ctrl+C ends the program and drops the rest of the line, as in bash.
        lab.exec(1, "redis-cli; echo never");
        lab.interrupt(1, "");
        assert_eq!(lab.exec(1, "echo $?").text, "130\n");
    }

    #[test]
    fn a_program_that_ends_outside_the_shell_hands_back_its_status() {
        let mut lab = lab();
        assert_eq!(lab.program_exited(1, 3), Output::default(), "no program holds the terminal");
        lab.exec(1, "redis-cli && echo ok || echo \"failed with $?\"");
        let out = lab.program_exited(1, 3);
        assert_eq!(out.text, "failed with 3\n");
        assert_eq!(lab.session(1).unwrap().foreground, Foreground::Shell);
        assert!(matches!(lab.session(1).unwrap().transcript.last(), Some(Line::Output(t)) if t == "failed with 3\n"));
        lab.exec(1, "redis-cli; exit");
        assert!(lab.program_exited(1, 0).closed, "the rest of the line may end the session");
    }

    #[test]
    fn the_lab_round_trips_through_its_saved_form() {
        let mut lab = lab();
        lab.exec(1, "echo hi > a.txt");
        lab.exec(1, "sleep 5");
        let back = crate::shell::save::decode(&crate::shell::save::encode(&lab).unwrap()).unwrap();
        assert_eq!(back, lab);
        // Mid-way through a here-document, and with the rest of a line waiting for a program.
        lab.exec(1, "redis-cli && cat <<EOF");
        lab.exec(1, "body");
        let back = crate::shell::save::decode(&crate::shell::save::encode(&lab).unwrap()).unwrap();
        assert_eq!(back, lab);
        lab.exec(1, "EOF");
        assert!(!lab.session(1).unwrap().rest_of_line.is_empty());
        let back = crate::shell::save::decode(&crate::shell::save::encode(&lab).unwrap()).unwrap();
        assert_eq!(back, lab);
    }
}
