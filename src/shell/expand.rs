//! Expansion: what a word as typed becomes just before its command runs.
//!
//! Two passes, as in bash's order:
//!
//! 1. [`substitute`]: each `$(...)` outside single quotes is replaced by what its inner line
//!    prints (run by the interpreter, one level deeper), trailing newlines removed. The output
//!    is escaped so that the second pass takes it literally; outside double quotes its blanks
//!    stay unescaped, so it splits into several words, as in bash (not in an assignment).
//! 2. [`fields`]: quotes are removed, backslash escapes applied, `$NAME`, `${NAME}` and `$?`
//!    expanded and `~` at the start of a word becomes the home directory.
//!
//! ```text
//!   "hi $USER" $(echo a b)  ->  pass 1: "hi $USER" a b  ->  pass 2: [hi learner] [a] [b]
//! ```
//!
//! A here-document's body is expanded the same way with [`Mode::HereDoc`] and [`body`]:
//! quotes in it are plain characters and it never splits.

/// What expansion needs from the session: variables and the home directory.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    fn home(&self) -> String;
}

/// What a `$(...)` is expanded for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A command's word: the output splits into words at blanks outside double quotes.
    Split,
    /// An assignment (`X=$(...)`) or a redirection's target: one word whatever the output.
    Whole,
    /// A here-document's body: quotes are plain characters.
    HereDoc,
}

/// Replaces each `$(...)` (outside single quotes, unless in a here-document) by what `run`
/// prints for the inner line, trailing newlines removed, escaped for [`fields`] or [`body`].
pub fn substitute(
    text: &str,
    mode: Mode,
    run: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    if !text.contains("$(") {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    let quotes_count = mode != Mode::HereDoc;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if !in_single => {
                out.push(c);
                out.extend(chars.get(i + 1));
                i += 2;
                continue;
            }
            '\'' if quotes_count && !in_double => in_single = !in_single,
            '"' if quotes_count && !in_single => in_double = !in_double,
            '$' if !in_single && chars.get(i + 1) == Some(&'(') => {
                let Some(end) = super::parse::matching_paren(&chars, i + 1) else {
                    return Err("-bash: unexpected EOF while looking for matching `)'".to_string());
                };
                let inner: String = chars[i + 2..end].iter().collect();
                let result = run(&inner)?;
                let special = match mode {
                    Mode::HereDoc => "\\$`",
                    _ if in_double => "\"\\$`",
                    Mode::Split => "'\"\\$`;&|<>#()~",
                    Mode::Whole => "'\"\\$`;&|<>#()~ \t\r\n",
                };
                for ch in result.trim_end_matches('\n').chars() {
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

/// The words a text (one word as typed, its `$(...)` already substituted) expands to:
/// quotes removed, escapes applied, variables and `~` expanded.
pub fn fields(text: &str, env: &dyn Environment) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], ' ' | '\t' | '\r' | '\n') {
            i += 1;
            continue;
        }
        let (word, next) = read_word(&chars, i, env)?;
        words.push(word);
        i = next;
    }
    Ok(words)
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
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '>' | '<' => break,
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
    Ok((word, i.min(chars.len())))
}

/// A here-document's body (its `$(...)` already substituted in [`Mode::HereDoc`]) with
/// `$NAME`, `${NAME}` and `$?` expanded. A backslash escapes only `$`, `` ` `` and `\`, and
/// joins a line to the next; quotes are plain characters, as in bash.
pub fn body(text: &str, env: &dyn Environment) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('\\', Some(&next @ ('$' | '`' | '\\'))) => {
                out.push(next);
                i += 2;
            }
            ('\\', Some('\n')) => i += 2,
            ('$', _) => i = expand_var(&chars, i, env, &mut out),
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    out
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

    /// Every word of a line, expanded with `$(...)` answered by `<inner>`.
    fn expand(line: &str, mode: Mode) -> Vec<String> {
        let mut run = |inner: &str| Ok(format!("<{inner}>\n"));
        let mut words = Vec::new();
        for command in super::super::parse::parse_line(line).unwrap() {
            for word in command.words {
                words.extend(fields(&substitute(&word, mode, &mut run).unwrap(), &Env).unwrap());
            }
        }
        words
    }

    #[test]
    fn quotes_escapes_and_variables() {
        assert_eq!(
            expand(r#"echo 'a  b' "c $USER" d\ e $NOPE ${USER}x ~ ~/f a~b"#, Mode::Split),
            ["echo", "a  b", "c learner", "d e", "", "learnerx", "/home/learner", "/home/learner/f", "a~b"]
        );
        assert_eq!(
            expand(r#"aws dynamodb put-item --item '{"id": {"S": "1"}}'"#, Mode::Split)[4],
            r#"{"id": {"S": "1"}}"#
        );
        assert_eq!(expand("echo \"say \\\"hi\\\"\" $?", Mode::Split), ["echo", "say \"hi\"", "0"]);
    }

    #[test]
    fn command_substitution() {
        let mut run = |inner: &str| Ok(format!("<{inner}>\n"));
        assert_eq!(
            substitute("echo $(date) '$(no)' \"$(x y)\"", Mode::Split, &mut run).unwrap(),
            "echo \\<date\\> '$(no)' \"<x y>\""
        );
        assert_eq!(substitute("A=$(echo \"(a)\")", Mode::Split, &mut |_| Ok("v".into())).unwrap(), "A=v");
        assert!(substitute("echo $(open", Mode::Split, &mut run).is_err());
        assert_eq!(expand("echo $(a b) \"$(c d)\" x$(true)", Mode::Split), ["echo", "<a", "b>", "<c d>", "x<true>"]);
        assert_eq!(expand("X=$(a b)", Mode::Whole), ["X=<a b>"], "an assignment does not split");
        assert_eq!(
            fields(&substitute("$(x)", Mode::Split, &mut |_| Ok("~ ; $HOME".into())).unwrap(), &Env).unwrap(),
            ["~", ";", "$HOME"],
            "the output is taken literally"
        );
        assert!(fields(&substitute("$(x)", Mode::Split, &mut |_| Ok("\n".into())).unwrap(), &Env).unwrap().is_empty());
    }

    #[test]
    fn here_document_bodies_expand_variables_but_not_quotes() {
        let text = "'$USER' \"${USER}\" \\$USER \\\\ \\x $? $\njoined \\\nline\n";
        assert_eq!(body(text, &Env), "'learner' \"learner\" $USER \\ \\x 0 $\njoined line\n");
        let mut run = |inner: &str| Ok(format!("[{inner}] $USER\n"));
        let substituted = substitute("'$(date)' \\$(no)\n", Mode::HereDoc, &mut run).unwrap();
        assert_eq!(body(&substituted, &Env), "'[date] $USER' $(no)\n");
    }
}
