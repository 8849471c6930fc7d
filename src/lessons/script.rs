//! Scripts of `host$ command` lines, run in a lab as a learner would type them: what the
//! golden transcripts (`tests/golden`) hold and what `dblab replay FILE` runs.
//!
//! ```text
//! laptop$ date                    <- typed in the terminal labelled `laptop`
//! Thu Nov 26 09:00:00 UTC 2026    <- anything else is output: skipped, the run prints its own
//! laptop[2]$ redis-cli            <- the laptop's second terminal
//! cloudshell$ aws rds describe-db-instances --db-instance-identifier {{endpoint:shop-db}}
//! app$ hostname                   <- the terminal that `ssh` took to the instance named `app`
//! ```
//!
//! A label names one terminal for the whole script: `laptop` is the first terminal opened on
//! the laptop, and it stays that terminal after `ssh` takes it to another host (so a script goes
//! on typing `laptop$` on the remote machine, as the learner types in the same tab). A label
//! that is not a host but an EC2 instance's Name tag is the terminal on that instance now.
//! Placeholders such as `{{endpoint:ID}}` are filled in as lessons fill them ([`fill`]).
//!
//! Every line typed is an input line, whoever reads it: the shell, a program holding the
//! terminal (`laptop$ SELECT 1;` at a `mysql>` prompt) or a here-document's body, which is
//! typed line by line under its command, the delimiter last:
//!
//! ```text
//! laptop$ cat > load.py <<'EOF'   <- the shell waits at bash's `> ` for the body ...
//! laptop$ import boto3            <- ... each line after `laptop$ ` (one space) is typed as is,
//! laptop$                         <- `laptop$` alone an empty line,
//! laptop$ EOF                     <- ... up to the delimiter; then the line runs
//! ```
//!
//! A line ending in `^C` is Ctrl+C pressed after typing what comes before it
//! (`laptop$ ^C` on an empty line), as the terminal shows it: it abandons the line being
//! typed, a here-document's body or the program holding the terminal.
//!
//! Where the script ends, its input ends: a body still open ends there with bash's warning.
//!
//! [`fill`]: super::replay::fill

use super::parse::terminal_name;
use super::replay::fill;
use crate::shell::python::Runtime;
use crate::shell::session::SessionId;
use crate::shell::Lab;

/// Splits an input line into its terminal label (host and tab) and the text typed, or `None`
/// for a line of output. `laptop$` alone types an empty line.
pub fn input_line(line: &str) -> Option<((String, usize), &str)> {
    let (label, text) = line.split_once("$ ").or_else(|| line.strip_suffix('$').map(|l| (l, "")))?;
    Some((terminal_name(label)?, text))
}

/// The terminals a script has opened, by label.
#[derive(Default)]
pub struct Terminals {
    opened: Vec<((String, usize), SessionId)>,
}

impl Terminals {
    /// The session a label types into: the one it opened before while that is still open, or
    /// the host's tab (opened now), or the terminal on the EC2 instance of that Name tag.
    pub fn session(&mut self, lab: &mut Lab, label: &(String, usize)) -> Result<SessionId, String> {
        let (host, tab) = label;
        if lab.host(host).is_none() {
            // A Name tag: wherever the learner's ssh went, never remembered.
            return lab.session_tab(host, *tab);
        }
        if let Some((_, id)) = self.opened.iter().find(|(l, id)| l == label && lab.session(*id).is_some()) {
            return Ok(*id);
        }
        let id = lab.session_tab(host, *tab)?;
        self.opened.retain(|(l, _)| l != label);
        self.opened.push((label.clone(), id));
        Ok(id)
    }
}

/// Runs every input line of `script` in `lab` and returns the transcript: each input line as
/// written, then what it printed. `after_line` runs after each line (the golden test saves and
/// restores the lab there). A label that leads to no terminal prints why, in place of output.
/// Python programs cannot run without a runtime: see [`run_with`].
pub fn run(lab: &mut Lab, script: &str, after_line: impl FnMut(&mut Lab, &str)) -> String {
    run_with(lab, script, None, after_line)
}

/// [`run`], with `python3` run by `runtime`. A line typed in a terminal whose Python program
/// waits for input goes to the program (`>>>` lines of the REPL, answers to `input()`);
/// `^C` is Ctrl+C and `^D` is Ctrl+D. After each line every program runs until it waits on a
/// line or for ever, so a subscriber in one terminal prints what a publisher in another sends.
pub fn run_with(
    lab: &mut Lab,
    script: &str,
    mut runtime: Option<&mut dyn Runtime>,
    mut after_line: impl FnMut(&mut Lab, &str),
) -> String {
    let mut terminals = Terminals::default();
    let mut out = String::new();
    let lines: Vec<&str> = script.lines().filter(|l| input_line(l).is_some()).collect();
    for (at, line) in lines.iter().enumerate() {
        let line = *line;
        let Some((label, text)) = input_line(line) else { continue };
        // A Ctrl+C next: the program it stops may be computing, not waiting.
        let interrupt_next = lines.get(at + 1).and_then(|l| input_line(l)).is_some_and(|(_, t)| t.ends_with("^C"));
        out.push_str(line);
        out.push('\n');
        match terminals.session(lab, &label) {
            Ok(session) => out.push_str(&type_line(lab, session, text, runtime.as_deref_mut(), interrupt_next)),
            Err(why) => {
                out.push_str(&format!("dblab: {why}\n"));
            }
        }
        after_line(lab, line);
    }
    // The script is the terminals' input: where it ends, a here-document still being read
    // ends too, with bash's warning, and its line runs; then every program is ended.
    let ids: Vec<SessionId> = lab.sessions.iter().map(|s| s.id).collect();
    for id in ids {
        out.push_str(&lab.end_of_input(id).text);
    }
    if let Some(r) = runtime {
        out.push_str(&r.settle(lab));
        r.stop_all(lab);
    }
    out
}

/// Types `text` (placeholders not yet filled) in terminal `session`, as a learner would: to the
/// Python program reading the terminal if one waits for a line, else to the shell or the program
/// holding it; `^C` and `^D` are Ctrl+C and Ctrl+D. Then, with a runtime, every program runs until
/// it waits (only briefly when `interrupt_next`: a Ctrl+C comes next, for a program that may be
/// computing). Returns what the line and the programs printed.
pub fn type_line<'r>(
    lab: &mut Lab,
    session: SessionId,
    text: &str,
    mut runtime: Option<&mut (dyn Runtime + 'r)>,
    interrupt_next: bool,
) -> String {
    let mut out = String::new();
    let python = runtime.is_some() && lab.python_program(session).is_some();
    match (runtime.as_deref_mut(), text.strip_suffix("^C")) {
        // Ctrl+C after typing the rest: the terminal shows it so. A Python
        // program gets a KeyboardInterrupt from its runtime.
        (r, Some(partial)) => {
            lab.interrupt(session, partial);
            if let Some(r) = r.filter(|_| python) {
                r.interrupt(session);
            }
        }
        (Some(r), None) if python => match fill(lab, text).as_str() {
            "^D" => r.type_line(lab, session, None),
            typed if r.wants_line(session) => r.type_line(lab, session, Some(typed)),
            _ => out.push_str("dblab: the program in this terminal is not reading input yet\n"),
        },
        _ => {
            let filled = fill(lab, text);
            out.push_str(&lab.exec(session, &filled).text);
        }
    }
    match runtime {
        Some(r) => {
            out.push_str(&if interrupt_next { r.settle_briefly(lab) } else { r.settle(lab) });
            if !out.is_empty() && !out.ends_with('\n') {
                // A program's prompt (`>>> `): the next typed line starts below it.
                out.push('\n');
            }
        }
        None => out.push_str(&lab.python_unavailable("Python needs a runtime, and this run has none")),
    }
    // A script has no screen: an editor the line opened (`nano f`, `python3 a.py && vi f`)
    // closes with an error instead of taking the lines that follow.
    let ids: Vec<SessionId> = lab.sessions.iter().map(|s| s.id).collect();
    for id in ids {
        out.push_str(&lab.editor_unavailable(id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Timestamp;

    fn lab() -> Lab {
        Lab::new(1, Timestamp::from_civil(2026, 11, 26, 9, 0, 0))
    }

    #[test]
    fn input_lines_name_a_terminal_and_output_lines_do_not() {
        assert_eq!(input_line("laptop$ date"), Some((("laptop".into(), 1), "date")));
        assert_eq!(input_line("laptop[2]$ redis-cli"), Some((("laptop".into(), 2), "redis-cli")));
        assert_eq!(input_line("cloudshell$"), Some((("cloudshell".into(), 1), "")));
        assert_eq!(input_line("Thu Nov 26 09:00:00 UTC 2026"), None);
        assert_eq!(input_line("total: 3 $ 4"), None, "a label has no spaces");
        assert_eq!(input_line("laptop[0]$ date"), None);
    }

    #[test]
    fn each_label_is_one_terminal_and_output_lines_are_replaced() {
        let script = "laptop$ A=1\nold output\nlaptop[2]$ echo \"[$A]\"\nlaptop$ echo \"[$A]\"\ncloudshell$ whoami\n";
        let mut after = 0;
        let out = run(&mut lab(), script, |_, _| after += 1);
        assert_eq!(
            out,
            "laptop$ A=1\nlaptop[2]$ echo \"[$A]\"\n[]\nlaptop$ echo \"[$A]\"\n[1]\ncloudshell$ whoami\ncloudshell-user\n"
        );
        assert_eq!(after, 4, "once per input line");
    }

    #[test]
    fn here_document_bodies_are_typed_line_by_line_and_ctrl_c_abandons_them() {
        let script = "laptop$ cat <<EOF\nlaptop$ $USER\nlaptop$ EOF\nlaptop$ cat <<EOF\nlaptop$ lost\nlaptop$ ^C\n\
                      laptop$ echo $?\nlaptop$ cat <<'EOF'\nlaptop$ open at the end\n";
        let out = run(&mut lab(), script, |_, _| {});
        assert_eq!(
            out,
            "laptop$ cat <<EOF\nlaptop$ $USER\nlaptop$ EOF\nlearner\nlaptop$ cat <<EOF\nlaptop$ lost\nlaptop$ ^C\n\
             laptop$ echo $?\n130\nlaptop$ cat <<'EOF'\nlaptop$ open at the end\n\
             -bash: warning: here-document at line 7 delimited by end-of-file (wanted `EOF')\nopen at the end\n"
        );
    }

    #[test]
    fn a_name_tag_without_a_terminal_says_so() {
        let out = run(&mut lab(), "app$ hostname\n", |_, _| {});
        assert_eq!(out, "app$ hostname\ndblab: ssh: Could not resolve hostname app: Name or service not known\n");
    }
}
