//! The command line, parsed the way a POSIX shell reads it (a useful subset of bash).
//!
//! ```text
//!   echo "hi $USER" > ~/note.txt && cat ~/note.txt ; date
//!   \_____________________________/    \_________/   \__/
//!     command 1 (with a redirection)   command 2    command 3
//!                                 joined by &&        by ;
//! ```
//!
//! Supported: single and double quotes, backslash escapes, `$NAME`, `${NAME}` and `$?`
//! expansion, `~` at the start of a word, `>` and `>>` redirection of standard output, `;`,
//! `&&`, `||` and `#` comments. Pipes and globbing are not: they get a clear message.

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// The first command, or after `;`: always runs.
    Always,
    /// After `&&`: runs if the previous command succeeded.
    IfOk,
    /// After `||`: runs if the previous command failed.
    IfFailed,
}

/// Where a command's standard output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    Truncate(String),
    Append(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    pub joiner: Joiner,
    pub words: Vec<String>,
    pub redirect: Option<Redirect>,
}

/// What the parser needs from the session: variables and the home directory.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    fn home(&self) -> String;
}

/// The longest line the shell accepts, in bytes.
pub const MAX_LINE: usize = 256 * 1024;

enum Token {
    Word(String),
    Op(&'static str),
}

/// Parses one line into commands. Errors are worded as bash words them.
pub fn parse_line(line: &str, env: &dyn Environment) -> Result<Vec<SimpleCommand>, String> {
    if line.len() > MAX_LINE {
        return Err(format!("-bash: line too long ({} bytes; the limit is {MAX_LINE})", line.len()));
    }
    let tokens = tokenize(line, env)?;
    let mut commands = Vec::new();
    let mut current = SimpleCommand { joiner: Joiner::Always, words: Vec::new(), redirect: None };
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            Token::Word(w) => current.words.push(w),
            Token::Op(op @ (">" | ">>")) => match iter.next() {
                Some(Token::Word(target)) => {
                    current.redirect =
                        Some(if op == ">" { Redirect::Truncate(target) } else { Redirect::Append(target) });
                }
                Some(Token::Op(next)) => return Err(format!("-bash: syntax error near unexpected token `{next}'")),
                None => return Err("-bash: syntax error near unexpected token `newline'".to_string()),
            },
            Token::Op("|") => {
                return Err(
                    "-bash: pipes are not available in this lab's shell; run the commands one at a time".to_string()
                )
            }
            Token::Op(op) => {
                if current.words.is_empty() {
                    return Err(format!("-bash: syntax error near unexpected token `{op}'"));
                }
                let joiner = match op {
                    "&&" => Joiner::IfOk,
                    "||" => Joiner::IfFailed,
                    _ => Joiner::Always,
                };
                let done = std::mem::replace(&mut current, SimpleCommand { joiner, words: Vec::new(), redirect: None });
                commands.push(done);
                if iter.peek().is_none() && op != ";" {
                    return Err("-bash: syntax error: unexpected end of file".to_string());
                }
            }
        }
    }
    if !current.words.is_empty() {
        commands.push(current);
    } else if current.redirect.is_some() {
        // `> file` alone truncates the file, as in bash.
        commands.push(current);
    }
    Ok(commands)
}

fn tokenize(line: &str, env: &dyn Environment) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' | '\n' => i += 1,
            '#' => break,
            ';' => {
                tokens.push(Token::Op(";"));
                i += 1;
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                tokens.push(Token::Op("&&"));
                i += 2;
            }
            '&' => return Err("-bash: background jobs (&) are not available in this lab's shell".to_string()),
            '|' if chars.get(i + 1) == Some(&'|') => {
                tokens.push(Token::Op("||"));
                i += 2;
            }
            '|' => {
                tokens.push(Token::Op("|"));
                i += 1;
            }
            '>' if chars.get(i + 1) == Some(&'>') => {
                tokens.push(Token::Op(">>"));
                i += 2;
            }
            '>' => {
                tokens.push(Token::Op(">"));
                i += 1;
            }
            _ => {
                let (word, next) = read_word(&chars, i, env)?;
                tokens.push(Token::Word(word));
                i = next;
            }
        }
    }
    Ok(tokens)
}

/// Reads one word starting at `start`; returns it and the index after it.
fn read_word(chars: &[char], start: usize, env: &dyn Environment) -> Result<(String, usize), String> {
    let mut word = String::new();
    let mut i = start;
    // `~` alone or `~/...` at the start of an unquoted word is the home directory.
    if chars[i] == '~' && matches!(chars.get(i + 1), None | Some('/') | Some(' ') | Some(';')) {
        word.push_str(&env.home());
        i += 1;
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '>' => break,
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    word.push(next);
                }
                i += 2;
            }
            '\'' => {
                let close = chars[i + 1..].iter().position(|&c| c == '\'');
                match close {
                    Some(len) => {
                        word.extend(&chars[i + 1..i + 1 + len]);
                        i += len + 2;
                    }
                    None => return Err("-bash: unexpected EOF while looking for matching `''".to_string()),
                }
            }
            '"' => {
                i += 1;
                let mut closed = false;
                while i < chars.len() {
                    match chars[i] {
                        '"' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars[i + 1]);
                            i += 2;
                        }
                        '$' => i = expand_var(chars, i, env, &mut word),
                        other => {
                            word.push(other);
                            i += 1;
                        }
                    }
                }
                if !closed {
                    return Err("-bash: unexpected EOF while looking for matching `\"'".to_string());
                }
            }
            '$' => i = expand_var(chars, i, env, &mut word),
            other => {
                word.push(other);
                i += 1;
            }
        }
    }
    Ok((word, i))
}

/// Expands `$NAME`, `${NAME}` or `$?` at `chars[i] == '$'`; returns the index after it.
fn expand_var(chars: &[char], i: usize, env: &dyn Environment, out: &mut String) -> usize {
    match chars.get(i + 1) {
        Some('?') => {
            out.push_str(&env.var("?").unwrap_or_default());
            i + 2
        }
        Some('{') => match chars[i + 2..].iter().position(|&c| c == '}') {
            Some(len) => {
                let name: String = chars[i + 2..i + 2 + len].iter().collect();
                out.push_str(&env.var(&name).unwrap_or_default());
                i + 3 + len
            }
            None => {
                out.push('$');
                i + 1
            }
        },
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let len = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').count();
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            out.push_str(&env.var(&name).unwrap_or_default());
            i + 1 + len
        }
        _ => {
            out.push('$');
            i + 1
        }
    }
}

/// Replaces each `$(...)` (outside single quotes) by what `run` prints for the inner line, with
/// trailing newlines removed, as bash does. The output is escaped so that it is not read as shell
/// syntax again; outside double quotes it still splits into words at spaces, as in bash.
pub fn substitute(line: &str, run: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<String, String> {
    if !line.contains("$(") {
        return Ok(line.to_string());
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if !in_single => {
                out.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                }
                i += 2;
                continue;
            }
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '$' if !in_single && chars.get(i + 1) == Some(&'(') => {
                // Find the matching parenthesis, respecting quotes inside.
                let mut depth = 0;
                let mut j = i + 1;
                let (mut q1, mut q2) = (false, false);
                let mut end = None;
                while j < chars.len() {
                    match chars[j] {
                        '\'' if !q2 => q1 = !q1,
                        '"' if !q1 => q2 = !q2,
                        '(' if !q1 && !q2 => depth += 1,
                        ')' if !q1 && !q2 => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let Some(end) = end else {
                    return Err("-bash: unexpected EOF while looking for matching `)'".to_string());
                };
                let inner: String = chars[i + 2..end].iter().collect();
                let result = run(&inner)?;
                let result = result.trim_end_matches('\n');
                for ch in result.chars() {
                    let special = if in_double { "\"\\$`" } else { "'\"\\$`;&|<>#()" };
                    if special.contains(ch) {
                        out.push('\\');
                    }
                    out.push(ch);
                }
                i = end + 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Env;
    impl Environment for Env {
        fn var(&self, name: &str) -> Option<String> {
            match name {
                "USER" => Some("learner".into()),
                "?" => Some("0".into()),
                _ => None,
            }
        }
        fn home(&self) -> String {
            "/home/learner".into()
        }
    }

    fn words(line: &str) -> Vec<Vec<String>> {
        parse_line(line, &Env).unwrap().into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn quotes_escapes_and_variables() {
        assert_eq!(
            words(r#"echo 'a  b' "c $USER" d\ e $NOPE ${USER}x"#),
            [["echo", "a  b", "c learner", "d e", "", "learnerx"]]
        );
        assert_eq!(words(r#"aws dynamodb put-item --item '{"id": {"S": "1"}}'"#)[0][4], r#"{"id": {"S": "1"}}"#);
        assert_eq!(words("echo \"say \\\"hi\\\"\" $?"), [["echo", "say \"hi\"", "0"]]);
    }

    #[test]
    fn tilde_joiners_redirects_and_comments() {
        let cmds = parse_line("cd ~/x && echo hi >> ~/f.txt; date # comment", &Env).unwrap();
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].words, ["cd", "/home/learner/x"]);
        assert_eq!(cmds[1].joiner, Joiner::IfOk);
        assert_eq!(cmds[1].redirect, Some(Redirect::Append("/home/learner/f.txt".into())));
        assert_eq!(cmds[2].joiner, Joiner::Always);
        assert_eq!(cmds[2].words, ["date"]);
        assert_eq!(words("echo a~b"), [["echo", "a~b"]]);
    }

    #[test]
    fn command_substitution() {
        let mut run = |inner: &str| Ok(format!("<{inner}>\n"));
        assert_eq!(
            substitute("echo $(date) '$(no)' \"$(x y)\"", &mut run).unwrap(),
            "echo \\<date\\> '$(no)' \"<x y>\""
        );
        assert_eq!(substitute("A=$(echo \"(a)\")", &mut |_| Ok("v".into())).unwrap(), "A=v");
        assert!(substitute("echo $(open", &mut run).is_err());
    }

    #[test]
    fn errors_are_worded_like_bash() {
        assert_eq!(parse_line("echo 'open", &Env).unwrap_err(), "-bash: unexpected EOF while looking for matching `''");
        assert_eq!(parse_line("&& date", &Env).unwrap_err(), "-bash: syntax error near unexpected token `&&'");
        assert_eq!(parse_line("echo >", &Env).unwrap_err(), "-bash: syntax error near unexpected token `newline'");
        assert!(parse_line("ls | grep x", &Env).unwrap_err().contains("pipes"));
        assert!(parse_line(&"x".repeat(MAX_LINE + 1), &Env).is_err());
    }
}
