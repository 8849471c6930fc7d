//! The terminal's line editor: the line being typed and what the keys do to it, as a plain
//! value the UI's terminal shows and native tests drive.
//!
//! - Typing replaces the line and leaves any walk through the history.
//! - Up and Down walk the session's history, newest first; walking back past the newest entry
//!   gives back the line that was being typed before the walk began (the draft).
//! - Enter takes the line ([`LineEditor::take_line`]); Ctrl+C abandons it
//!   ([`LineEditor::abandon`]).
//! - Tab fills in a completion and keeps its candidates to show ([`LineEditor::complete`]).
//! - Pasting several lines runs all but the last, the first joined to what was already typed;
//!   the last stays on the line to edit ([`LineEditor::paste`]).
//!
//! The terminal's tab labels ([`tab_labels`]) live here too: the first terminal on a host is
//! named after it, later ones `laptop (2)`, `laptop (3)`.

use super::lab::Completion;
use super::session::{Session, SessionId};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineEditor {
    /// The line as typed so far.
    pub input: String,
    /// The candidates of the last ambiguous Tab, shown under the scrollback until the next key.
    pub candidates: Vec<String>,
    /// Where the walk through the history is (`None`: at the fresh line).
    history_pos: Option<usize>,
    /// The line being typed when the walk began.
    draft: String,
}

impl LineEditor {
    /// The learner typed (or edited) the line: it is now `text`.
    pub fn type_text(&mut self, text: &str) {
        self.input = text.to_string();
        self.history_pos = None;
    }

    /// Enter: the line to run. The editor starts a fresh line.
    pub fn take_line(&mut self) -> String {
        self.reset();
        self.draft.clear();
        std::mem::take(&mut self.input)
    }

    /// Ctrl+C: the line is abandoned; returns what had been typed (the terminal shows it
    /// followed by `^C`).
    pub fn abandon(&mut self) -> String {
        self.take_line()
    }

    /// Forgets the history walk and the candidates (another tab was chosen, the screen cleared).
    pub fn reset(&mut self) {
        self.history_pos = None;
        self.candidates.clear();
    }

    /// Up: the previous history entry (the newest first).
    pub fn history_up(&mut self, history: &[String]) {
        let Some(last) = history.len().checked_sub(1) else { return };
        let next = match self.history_pos {
            None => {
                self.draft = self.input.clone();
                last
            }
            Some(i) => i.saturating_sub(1).min(last),
        };
        self.history_pos = Some(next);
        self.input = history[next].clone();
    }

    /// Down: the next history entry, and past the newest one the draft.
    pub fn history_down(&mut self, history: &[String]) {
        let Some(i) = self.history_pos else { return };
        if i + 1 < history.len() {
            self.history_pos = Some(i + 1);
            self.input = history[i + 1].clone();
        } else {
            self.history_pos = None;
            self.input = std::mem::take(&mut self.draft);
        }
    }

    /// Tab: the completed line, and the candidates when there were several.
    pub fn complete(&mut self, completion: Completion) {
        self.input = completion.input;
        self.candidates = completion.candidates;
        self.history_pos = None;
    }

    /// A paste of `text`. Text of one line is the browser's to insert: `None`. Otherwise the
    /// lines to run in order (the first joined to what was typed), and the last, unfinished
    /// line is left on the editor.
    pub fn paste(&mut self, text: &str) -> Option<Vec<String>> {
        let text = text.replace("\r\n", "\n");
        if !text.contains('\n') {
            return None;
        }
        let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
        let rest = lines.pop().unwrap_or_default();
        if let Some(first) = lines.first_mut() {
            first.insert_str(0, &self.input);
        }
        self.reset();
        self.input = rest;
        Some(lines)
    }
}

/// Each session's tab label, in the order they were opened: the host's name for its first
/// terminal, `host (N)` for the N-th.
/// `name_of` says what a host is called (an EC2 instance by its Name tag, as the console
/// lists it, rather than its id): a tab is the host its session is on now, after any `ssh`.
pub fn tab_labels(sessions: &[Session], name_of: impl Fn(&str) -> String) -> Vec<(SessionId, String)> {
    let mut count = std::collections::HashMap::<String, usize>::new();
    sessions
        .iter()
        .map(|s| {
            let name = name_of(&s.host);
            let n = count.entry(name.clone()).or_insert(0);
            *n += 1;
            let label = if *n == 1 { name } else { format!("{name} ({n})") };
            (s.id, label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn history() -> Vec<String> {
        ["date", "whoami", "hostname"].map(String::from).to_vec()
    }

    #[test]
    fn up_and_down_walk_the_history_and_come_back_to_the_draft() {
        let mut e = LineEditor::default();
        e.type_text("ec");
        e.history_up(&history());
        assert_eq!(e.input, "hostname");
        e.history_up(&history());
        e.history_up(&history());
        e.history_up(&history());
        assert_eq!(e.input, "date", "the oldest entry stays");
        e.history_down(&history());
        assert_eq!(e.input, "whoami");
        e.history_down(&history());
        e.history_down(&history());
        assert_eq!(e.input, "ec", "past the newest entry: the draft");
        e.history_down(&history());
        assert_eq!(e.input, "ec", "Down at the fresh line does nothing");
        e.history_up(&[]);
        assert_eq!(e.input, "ec", "an empty history leaves the line alone");
    }

    #[test]
    fn typing_leaves_the_walk_and_enter_starts_afresh() {
        let mut e = LineEditor::default();
        e.history_up(&history());
        e.type_text("hostname -f");
        e.history_up(&history());
        assert_eq!(e.input, "hostname", "a new walk starts at the newest entry");
        e.history_down(&history());
        assert_eq!(e.input, "hostname -f", "with the edited line as its draft");
        assert_eq!(e.take_line(), "hostname -f");
        assert_eq!(e, LineEditor::default());
    }

    #[test]
    fn a_paste_of_several_lines_runs_all_but_the_last() {
        let mut e = LineEditor::default();
        e.type_text("echo ");
        assert_eq!(e.paste("one"), None, "one line is the browser's to insert");
        assert_eq!(e.paste("one\r\necho two\necho thr"), Some(vec!["echo one".to_string(), "echo two".to_string()]));
        assert_eq!(e.input, "echo thr");
        assert_eq!(e.paste("\n"), Some(vec!["echo thr".to_string()]));
        assert_eq!(e.input, "");
    }

    #[test]
    fn tab_keeps_the_candidates_until_the_line_is_taken() {
        let mut e = LineEditor::default();
        e.complete(Completion { input: "c".into(), candidates: vec!["cat".into(), "clear".into()] });
        assert_eq!(e.candidates, ["cat", "clear"]);
        assert_eq!(e.abandon(), "c");
        assert!(e.candidates.is_empty());
    }

    #[test]
    fn tabs_are_labelled_by_host_and_number() {
        let s = |id, host: &str| Session::new(id, host, "/home/learner", BTreeMap::new());
        let sessions = [s(1, "laptop"), s(2, "cloudshell"), s(4, "laptop"), s(5, "laptop")];
        assert_eq!(
            tab_labels(&sessions, str::to_string),
            [
                (1, "laptop".to_string()),
                (2, "cloudshell".to_string()),
                (4, "laptop (2)".to_string()),
                (5, "laptop (3)".to_string())
            ]
        );
    }
}
