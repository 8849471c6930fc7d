//! Reading here-documents: the lines typed after `cat > load.py <<'EOF'`, up to `EOF`.
//!
//! ```text
//!   laptop:~$ cat > load.py <<'EOF'      the line is parsed; it has a here-document, so it
//!   > import boto3                       waits: the session shows bash's `> ` and each line
//!   > print("hi")                        typed is the body's ...
//!   > EOF                                ... until the delimiter's line; then the line runs,
//!   laptop:~$                            the body as `cat`'s standard input
//! ```
//!
//! While a body is read, the session's foreground is [`Foreground::HereDoc`] holding a
//! [`HereDocReading`]: the line's commands, their here-documents filled in as the lines come
//! (several on one line are read one after the other, as in bash). Ctrl+C abandons the line
//! ([`super::lab::Lab::interrupt`]); the end of input ([`super::lab::Lab::end_of_input`])
//! ends the body where it is, with bash's warning, and the line runs. A body's expansion
//! (`$VAR`, `$(...)` with an unquoted delimiter) waits until its command runs.
//!
//! Bodies are bounded: past [`MAX_HERE_DOC`] bytes the rest is read and dropped up to the
//! delimiter, and the line does not run.
//!
//! [`Foreground::HereDoc`]: super::foreground::Foreground::HereDoc

use super::parse::{HereDoc, SimpleCommand, MAX_LINE};
use serde::{Deserialize, Serialize};

/// The most bytes the here-documents of one line hold together (a line's own limit).
pub const MAX_HERE_DOC: usize = MAX_LINE;

/// A line waiting for the bodies of its here-documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HereDocReading {
    /// The line's commands, their here-documents' bodies filled in as lines are typed.
    commands: Vec<SimpleCommand>,
    /// How many of the line's here-documents have their body complete.
    done: usize,
    /// The shell's line number of the command line: bash's warnings name it.
    line_number: u32,
    /// The bodies outgrew [`MAX_HERE_DOC`]: lines are read and dropped up to the last
    /// delimiter, and the line does not run.
    too_long: bool,
}

/// What a line typed into a here-document leads to.
pub enum Step {
    /// More body to read.
    More(HereDocReading),
    /// Every body is complete: the commands run.
    Complete(Vec<SimpleCommand>),
    /// The bodies were too long: nothing runs.
    Dropped,
}

impl HereDocReading {
    /// The reading that `commands` (typed at line `line_number`) need, or the commands
    /// themselves when they have no here-document.
    pub fn new(mut commands: Vec<SimpleCommand>, line_number: u32) -> Result<HereDocReading, Vec<SimpleCommand>> {
        if commands.iter_mut().all(|c| c.here_docs_mut().next().is_none()) {
            return Err(commands);
        }
        Ok(HereDocReading { commands, done: 0, line_number, too_long: false })
    }

    /// The here-document whose body is being read.
    fn current(&mut self) -> Option<&mut HereDoc> {
        let done = self.done;
        self.commands.iter_mut().flat_map(|c| c.here_docs_mut()).nth(done)
    }

    fn bytes(&mut self) -> usize {
        self.commands.iter_mut().flat_map(|c| c.here_docs_mut()).map(|d| d.body.len()).sum()
    }

    /// One line typed: the delimiter ends the current body, anything else is part of it.
    /// A body grown too long is reported in `err`.
    pub fn read(mut self, line: &str, err: &mut String) -> Step {
        let bytes = self.bytes();
        let (too_long, line_number) = (self.too_long, self.line_number);
        let Some(doc) = self.current() else { return self.finish() };
        let text = if doc.strip_tabs { line.trim_start_matches('\t') } else { line };
        if text == doc.delimiter {
            self.done += 1;
            return if self.current().is_some() { Step::More(self) } else { self.finish() };
        }
        if too_long {
            return Step::More(self);
        }
        if bytes + text.len() + 1 > MAX_HERE_DOC {
            err.push_str(&format!(
                "-bash: here-document at line {line_number} is longer than the lab's limit of {MAX_HERE_DOC} \
                 bytes: the lines up to `{}' are dropped and the command does not run\n",
                doc.delimiter
            ));
            self.too_long = true;
            for doc in self.commands.iter_mut().flat_map(|c| c.here_docs_mut()) {
                doc.body = String::new();
            }
            return Step::More(self);
        }
        doc.body.push_str(text);
        doc.body.push('\n');
        Step::More(self)
    }

    /// The input ended before the delimiter: each body still open ends here, with bash's
    /// warning in `err`.
    pub fn end_of_input(mut self, err: &mut String) -> Step {
        let line_number = self.line_number;
        while let Some(doc) = self.current() {
            err.push_str(&format!(
                "-bash: warning: here-document at line {line_number} delimited by end-of-file (wanted `{}')\n",
                doc.delimiter
            ));
            self.done += 1;
        }
        self.finish()
    }

    fn finish(self) -> Step {
        if self.too_long {
            Step::Dropped
        } else {
            Step::Complete(self.commands)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::parse::{parse_line, Redirect};

    fn reading(line: &str) -> HereDocReading {
        HereDocReading::new(parse_line(line).unwrap(), 3).unwrap_or_else(|_| panic!("{line} has a here-document"))
    }

    fn bodies(commands: &[SimpleCommand]) -> Vec<String> {
        commands
            .iter()
            .flat_map(|c| &c.redirects)
            .filter_map(|r| match r {
                Redirect::HereDoc(d) => Some(d.body.clone()),
                _ => None,
            })
            .collect()
    }

    fn type_lines(mut reading: HereDocReading, lines: &[&str]) -> (Step, String) {
        let mut err = String::new();
        for (i, line) in lines.iter().enumerate() {
            match reading.read(line, &mut err) {
                Step::More(next) => reading = next,
                done => {
                    assert_eq!(i, lines.len() - 1, "done before the last line");
                    return (done, err);
                }
            }
        }
        (Step::More(reading), err)
    }

    #[test]
    fn a_line_without_here_documents_needs_no_reading() {
        assert!(HereDocReading::new(parse_line("cat < x; echo").unwrap(), 1).is_err());
    }

    #[test]
    fn bodies_are_read_one_after_the_other_up_to_their_delimiters() {
        let (step, err) = type_lines(reading("cat <<A; cat <<-B"), &["one", "", "A", "\t\ttwo", "\tB"]);
        let Step::Complete(commands) = step else { panic!("complete") };
        assert_eq!(bodies(&commands), ["one\n\n", "two\n"]);
        assert_eq!(err, "");
    }

    #[test]
    fn the_delimiter_must_be_the_whole_line() {
        let (step, _) = type_lines(reading("cat <<EOF"), &[" EOF", "EOF ", "\tEOF"]);
        assert!(matches!(step, Step::More(_)), "only <<- strips tabs, and only tabs");
    }

    #[test]
    fn the_end_of_input_ends_every_open_body_with_bash_s_warning() {
        let (step, _) = type_lines(reading("cat <<'EOF' && cat <<END"), &["partial"]);
        let Step::More(reading) = step else { panic!("still reading") };
        let mut err = String::new();
        let Step::Complete(commands) = reading.end_of_input(&mut err) else { panic!("complete") };
        assert_eq!(bodies(&commands), ["partial\n", ""]);
        assert_eq!(
            err,
            "-bash: warning: here-document at line 3 delimited by end-of-file (wanted `EOF')\n\
             -bash: warning: here-document at line 3 delimited by end-of-file (wanted `END')\n"
        );
    }

    #[test]
    fn a_body_past_the_limit_is_dropped_and_nothing_runs() {
        let big = "x".repeat(MAX_HERE_DOC / 2);
        let (step, err) = type_lines(reading("cat <<EOF"), &[&big, &big, &big, "EOF"]);
        assert!(matches!(step, Step::Dropped));
        assert!(err.contains("longer than the lab's limit"), "{err}");
        assert_eq!(err.lines().count(), 1, "said once");
    }
}
