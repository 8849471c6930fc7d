//! Cutting typed text into statements: a `;` ends one unless it sits inside quotes.

/// The quote left open at the end of `text`, if any (`'`, `"` or a backtick).
pub fn open_quote(text: &str) -> Option<char> {
    let mut open: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match open {
            Some(q) if c == q => {
                if chars.peek() == Some(&q) {
                    chars.next();
                } else {
                    open = None;
                }
            }
            Some(_) if c == '\\' => {
                chars.next();
            }
            Some(_) => {}
            None if c == '\'' || c == '"' || c == '`' => open = Some(c),
            None => {}
        }
    }
    open
}

/// A complete statement and how it was ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub sql: String,
    /// Ended with mysql's `\G`: print vertically.
    pub vertical: bool,
}

/// Splits the buffer into complete statements and the unfinished rest.
pub fn split(buffer: &str) -> (Vec<Piece>, String) {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut open: Option<char> = None;
    let chars: Vec<char> = buffer.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match open {
            Some(q) => {
                current.push(c);
                if c == '\\' {
                    if let Some(&n) = chars.get(i + 1) {
                        current.push(n);
                        i += 1;
                    }
                } else if c == q {
                    if chars.get(i + 1) == Some(&q) {
                        current.push(q);
                        i += 1;
                    } else {
                        open = None;
                    }
                }
            }
            None => {
                if c == ';' {
                    if !current.trim().is_empty() {
                        pieces.push(Piece { sql: current.trim().to_string(), vertical: false });
                    }
                    current.clear();
                } else if c == '\\' && matches!(chars.get(i + 1), Some('G') | Some('g')) {
                    let vertical = chars.get(i + 1) == Some(&'G');
                    if !current.trim().is_empty() {
                        pieces.push(Piece { sql: current.trim().to_string(), vertical });
                    }
                    current.clear();
                    i += 1;
                } else {
                    if c == '\'' || c == '"' || c == '`' {
                        open = Some(c);
                    }
                    current.push(c);
                }
            }
        }
        i += 1;
    }
    let rest = if current.trim().is_empty() { String::new() } else { current };
    (pieces, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_inside_quotes_do_not_end_statements() {
        let (p, rest) = split("select 'a;b'; select 2\\G select");
        assert_eq!(
            p,
            vec![
                Piece { sql: "select 'a;b'".into(), vertical: false },
                Piece { sql: "select 2".into(), vertical: true }
            ]
        );
        assert_eq!(rest, " select");
        assert_eq!(open_quote("select 'it''s"), Some('\''));
        assert_eq!(open_quote("select 'it''s'"), None);
    }
}
