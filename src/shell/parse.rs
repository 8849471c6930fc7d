//! The command line, split into commands the way a POSIX shell reads it (a useful subset of
//! bash), before anything in it is expanded.
//!
//! ```text
//!   X=1; echo "hi $X" > ~/note.txt && cat < ~/note.txt ; cat <<'EOF'
//!   \_/  \_______________________/    \_______________/   \__________/
//!   cmd 1   command 2 (writes a file)  command 3 (reads it)  command 4: its standard
//!        by ;                       by &&                 by ;   input is the lines typed
//!                                                                after this one, up to EOF
//! ```
//!
//! Words are kept as typed: quotes, `$VARS`, `~` and `$(...)` are expanded only when their
//! command is about to run ([`super::expand`]), so `X=1; echo $X` prints 1 and
//! `false; echo $?` prints 1, as in bash. A `$(...)` is part of the word it is in, however
//! many `;` it holds.
//!
//! Supported: single and double quotes, backslash escapes, `;`, `&&`, `||`, `#` comments,
//! `>` and `>>` (standard output into a file), `<` (standard input from a file), `<<` and
//! `<<-` here-documents (the body is read from the lines after, see [`super::heredoc`]) and
//! `<<<` here-strings. Pipes and background jobs are not: they get a clear message.

use serde::{Deserialize, Serialize};

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Joiner {
    /// The first command, or after `;`: always runs.
    Always,
    /// After `&&`: runs if the previous command succeeded.
    IfOk,
    /// After `||`: runs if the previous command failed.
    IfFailed,
}

/// A redirection of a command's standard input or output, its word as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Redirect {
    /// `> file` (`>> file` appends): standard output into a file.
    Write { target: String, append: bool },
    /// `< file`: standard input from a file.
    Read(String),
    /// `<<EOF`: standard input from the lines typed after the command line.
    HereDoc(HereDoc),
    /// `<<< word`: standard input from one word and a newline.
    HereString(String),
}

/// A here-document: `<<EOF`, `<<'EOF'` or `<<-EOF`, and the body read for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HereDoc {
    /// The line that ends the body (`EOF`), its quotes removed.
    pub delimiter: String,
    /// An unquoted delimiter: `$VAR` and `$(...)` in the body are expanded when the command
    /// runs. Any quote in the delimiter (`'EOF'`, `"EOF"`, `\EOF`) keeps the body as typed.
    pub expand: bool,
    /// `<<-`: leading tabs are removed from each body line and from the delimiter's line.
    pub strip_tabs: bool,
    /// The body read so far, each line ending in a newline.
    pub body: String,
}

impl HereDoc {
    /// The here-document of `<<word` (`<<-word` when `strip_tabs`), its body still empty.
    pub fn new(word: &str, strip_tabs: bool) -> HereDoc {
        HereDoc { delimiter: unquote(word), expand: !word.contains(['\'', '"', '\\']), strip_tabs, body: String::new() }
    }
}

/// One command of a line: its joiner, its words and its redirections, all as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimpleCommand {
    pub joiner: Joiner,
    pub words: Vec<String>,
    /// In the order typed (bash applies them left to right).
    pub redirects: Vec<Redirect>,
}

impl SimpleCommand {
    fn new(joiner: Joiner) -> SimpleCommand {
        SimpleCommand { joiner, words: Vec::new(), redirects: Vec::new() }
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.redirects.is_empty()
    }

    /// The here-documents of the command, in the order their bodies are read.
    pub fn here_docs_mut(&mut self) -> impl Iterator<Item = &mut HereDoc> {
        self.redirects.iter_mut().filter_map(|r| match r {
            Redirect::HereDoc(doc) => Some(doc),
            _ => None,
        })
    }
}

/// The longest line the shell accepts, in bytes (and the most a here-document's bodies hold).
pub const MAX_LINE: usize = 256 * 1024;

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Op(&'static str),
}

/// Splits one line into commands, their words unexpanded. Errors are worded as bash words
/// them; a line with a syntax error runs nothing, as in bash.
pub fn parse_line(line: &str) -> Result<Vec<SimpleCommand>, String> {
    if line.len() > MAX_LINE {
        return Err(format!("-bash: line too long ({} bytes; the limit is {MAX_LINE})", line.len()));
    }
    let tokens = tokenize(line)?;
    let mut commands = Vec::new();
    let mut current = SimpleCommand::new(Joiner::Always);
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            Token::Word(w) => current.words.push(w),
            Token::Op(op @ (">" | ">>" | "<" | "<<" | "<<-" | "<<<")) => {
                let word = match iter.next() {
                    Some(Token::Word(word)) => word,
                    Some(Token::Op(next)) => return Err(format!("-bash: syntax error near unexpected token `{next}'")),
                    None => return Err("-bash: syntax error near unexpected token `newline'".to_string()),
                };
                current.redirects.push(match op {
                    ">" => Redirect::Write { target: word, append: false },
                    ">>" => Redirect::Write { target: word, append: true },
                    "<" => Redirect::Read(word),
                    "<<<" => Redirect::HereString(word),
                    _ => Redirect::HereDoc(HereDoc::new(&word, op == "<<-")),
                });
            }
            Token::Op("|") => {
                return Err(
                    "-bash: pipes are not available in this lab's shell; run the commands one at a time".to_string()
                )
            }
            Token::Op(op) => {
                if current.is_empty() {
                    return Err(format!("-bash: syntax error near unexpected token `{op}'"));
                }
                let joiner = match op {
                    "&&" => Joiner::IfOk,
                    "||" => Joiner::IfFailed,
                    _ => Joiner::Always,
                };
                commands.push(std::mem::replace(&mut current, SimpleCommand::new(joiner)));
                if iter.peek().is_none() && op != ";" {
                    return Err("-bash: syntax error: unexpected end of file".to_string());
                }
            }
        }
    }
    // `> file` alone truncates the file, as in bash.
    if !current.is_empty() {
        commands.push(current);
    }
    Ok(commands)
}

/// Splits a line into words (as typed) and operators.
fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let next = |n: usize| chars.get(i + n).copied();
        let op = match chars[i] {
            ' ' | '\t' | '\r' | '\n' => {
                i += 1;
                continue;
            }
            '#' => break,
            ';' => ";",
            '&' if next(1) == Some('&') => "&&",
            '&' => return Err("-bash: background jobs (&) are not available in this lab's shell".to_string()),
            '|' if next(1) == Some('|') => "||",
            '|' => "|",
            '>' if next(1) == Some('>') => ">>",
            '>' => ">",
            '<' if next(1) == Some('<') && next(2) == Some('<') => "<<<",
            '<' if next(1) == Some('<') && next(2) == Some('-') => "<<-",
            '<' if next(1) == Some('<') => "<<",
            '<' => "<",
            _ => {
                let end = word_end(&chars, i)?;
                tokens.push(Token::Word(chars[i..end].iter().collect()));
                i = end;
                continue;
            }
        };
        tokens.push(Token::Op(op));
        i += op.len();
    }
    Ok(tokens)
}

/// Where the word starting at `start` ends: at a blank or an operator outside quotes and
/// outside `$(...)`.
fn word_end(chars: &[char], start: usize) -> Result<usize, String> {
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '>' | '<' => break,
            '\\' => i += 2,
            '\'' => match chars[i + 1..].iter().position(|&c| c == '\'') {
                Some(len) => i += len + 2,
                None => return Err("-bash: unexpected EOF while looking for matching `''".to_string()),
            },
            '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("-bash: unexpected EOF while looking for matching `\"'".to_string()),
                        Some('"') => break,
                        Some('\\') => i += 2,
                        Some('$') if chars.get(i + 1) == Some(&'(') => i = substitution_end(chars, i + 1)? + 1,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'(') => i = substitution_end(chars, i + 1)? + 1,
            _ => i += 1,
        }
    }
    Ok(i.min(chars.len()))
}

/// The `)` that closes the `(` at `open`, or bash's error when there is none.
fn substitution_end(chars: &[char], open: usize) -> Result<usize, String> {
    matching_paren(chars, open).ok_or_else(|| "-bash: unexpected EOF while looking for matching `)'".to_string())
}

/// The index of the `)` matching the `(` at `chars[open]`, skipping quoted parentheses.
pub fn matching_paren(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let (mut in_single, mut in_double) = (false, false);
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '(' if !in_single && !in_double => depth += 1,
            ')' if !in_single && !in_double => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// A word with its quotes and backslashes removed and nothing expanded: what a here-document's
/// delimiter is compared with.
pub fn unquote(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    let mut in_double = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if !in_double => out.extend(chars.next()),
            '\\' => match chars.next() {
                Some(next @ ('"' | '\\' | '$' | '`')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '"' => in_double = !in_double,
            '\'' if !in_double => out.extend(chars.by_ref().take_while(|&c| c != '\'')),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        parse_line(line).unwrap().into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn words_are_kept_as_typed_until_their_command_runs() {
        assert_eq!(
            words(r#"echo 'a  b' "c $USER" d\ e ${USER}x"#),
            [["echo", "'a  b'", "\"c $USER\"", "d\\ e", "${USER}x"]]
        );
        assert_eq!(words("X=1; echo $X"), [vec!["X=1"], vec!["echo", "$X"]]);
        assert_eq!(words("echo a<b"), [["echo", "a"]], "`<` is a redirection");
    }

    #[test]
    fn a_substitution_is_part_of_its_word_whatever_it_holds() {
        assert_eq!(words("echo $(date; echo ';') x"), [["echo", "$(date; echo ';')", "x"]]);
        assert_eq!(words("echo \"[$(echo \")\")]\" && date"), [vec!["echo", "\"[$(echo \")\")]\""], vec!["date"]]);
        assert_eq!(parse_line("echo $(open").unwrap_err(), "-bash: unexpected EOF while looking for matching `)'");
    }

    #[test]
    fn joiners_redirects_and_comments() {
        let cmds = parse_line("cd ~/x && echo hi >> ~/f.txt; date # comment $(not run)").unwrap();
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].words, ["cd", "~/x"]);
        assert_eq!(cmds[1].joiner, Joiner::IfOk);
        assert_eq!(cmds[1].redirects, [Redirect::Write { target: "~/f.txt".into(), append: true }]);
        assert_eq!(cmds[2].joiner, Joiner::Always);
        assert_eq!(cmds[2].words, ["date"]);
        let cmds = parse_line("wc -l < data.txt || cat <<< \"$X\"").unwrap();
        assert_eq!(cmds[0].redirects, [Redirect::Read("data.txt".into())]);
        assert_eq!(cmds[1].joiner, Joiner::IfFailed);
        assert_eq!(cmds[1].redirects, [Redirect::HereString("\"$X\"".into())]);
        assert_eq!(parse_line("> empty.txt; echo").unwrap().len(), 2, "a redirection alone is a command");
    }

    #[test]
    fn here_documents_record_their_delimiter() {
        let cmds = parse_line("cat > load.py <<'EOF'; cat <<-\"E F\" <<END").unwrap();
        assert_eq!(cmds[0].redirects[0], Redirect::Write { target: "load.py".into(), append: false });
        let doc = |d: &str, expand, strip_tabs| {
            Redirect::HereDoc(HereDoc { delimiter: d.into(), expand, strip_tabs, body: String::new() })
        };
        assert_eq!(cmds[0].redirects[1], doc("EOF", false, false));
        assert_eq!(cmds[1].redirects, [doc("E F", false, true), doc("END", true, false)]);
        assert_eq!(HereDoc::new("\\EOF", false).delimiter, "EOF");
        assert!(!HereDoc::new("E\\OF", false).expand);
        assert_eq!(HereDoc::new("$X", false).delimiter, "$X", "a delimiter is never expanded");
        assert_eq!(parse_line("cat <<").unwrap_err(), "-bash: syntax error near unexpected token `newline'");
        assert_eq!(parse_line("cat << ;").unwrap_err(), "-bash: syntax error near unexpected token `;'");
    }

    #[test]
    fn errors_are_worded_like_bash() {
        assert_eq!(parse_line("echo 'open").unwrap_err(), "-bash: unexpected EOF while looking for matching `''");
        assert_eq!(parse_line("echo \"open").unwrap_err(), "-bash: unexpected EOF while looking for matching `\"'");
        assert_eq!(parse_line("&& date").unwrap_err(), "-bash: syntax error near unexpected token `&&'");
        assert_eq!(parse_line("date &&").unwrap_err(), "-bash: syntax error: unexpected end of file");
        assert_eq!(parse_line("echo >").unwrap_err(), "-bash: syntax error near unexpected token `newline'");
        assert_eq!(parse_line("cat < > x").unwrap_err(), "-bash: syntax error near unexpected token `>'");
        assert!(parse_line("ls | grep x").unwrap_err().contains("pipes"));
        assert!(parse_line("sleep 5 &").unwrap_err().contains("background"));
        assert!(parse_line(&"x".repeat(MAX_LINE + 1)).is_err());
        assert_eq!(words("echo a\\"), [["echo", "a\\"]], "a backslash at the end stays in its word");
    }
}
