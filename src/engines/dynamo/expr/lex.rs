//! The expression's tokens: names, `#name` and `:value` placeholders, numbers (list indexes)
//! and symbols, with where each stands in the text (for the "near" of syntax errors).

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Name(String),
    NamePh(String),
    ValuePh(String),
    Num(usize),
    Sym(&'static str),
}

const MAX_TOKENS: usize = 4096;

/// Tokens and where each starts and ends in the text (in characters).
pub(super) type Lexed = (Vec<Tok>, Vec<(usize, usize)>);

pub(super) fn lex(text: &str) -> Result<Lexed, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut tok_start = 0;
    while i < chars.len() {
        if toks.len() > spans.len() {
            spans.push((tok_start, i));
        }
        if toks.len() > MAX_TOKENS {
            return Err("Syntax error; expression too long".into());
        }
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        tok_start = i;
        let word = |start: usize| -> (String, usize) {
            let mut j = start;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            (chars[start..j].iter().collect(), j)
        };
        if c.is_ascii_alphabetic() || c == '_' {
            let (w, j) = word(i);
            toks.push(Tok::Name(w));
            i = j;
        } else if c == '#' || c == ':' {
            let (w, j) = word(i + 1);
            if w.is_empty() {
                return Err(format!("Syntax error; token: \"{c}\", near: \"{}\"", near(&chars, i)));
            }
            toks.push(if c == '#' { Tok::NamePh(format!("#{w}")) } else { Tok::ValuePh(format!(":{w}")) });
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            toks.push(Tok::Num(s.parse().unwrap_or(usize::MAX)));
            i = j;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = match two.as_str() {
                "<>" => Some("<>"),
                "<=" => Some("<="),
                ">=" => Some(">="),
                _ => None,
            };
            if let Some(s) = sym {
                toks.push(Tok::Sym(s));
                i += 2;
                continue;
            }
            let s = match c {
                '(' => "(",
                ')' => ")",
                '[' => "[",
                ']' => "]",
                '.' => ".",
                ',' => ",",
                '=' => "=",
                '<' => "<",
                '>' => ">",
                '+' => "+",
                '-' => "-",
                _ => return Err(format!("Syntax error; token: \"{c}\", near: \"{}\"", near(&chars, i))),
            };
            toks.push(Tok::Sym(s));
            i += 1;
        }
    }
    if toks.len() > spans.len() {
        spans.push((tok_start, i));
    }
    Ok((toks, spans))
}

pub(super) fn near(chars: &[char], i: usize) -> String {
    chars[i.saturating_sub(3)..(i + 4).min(chars.len())].iter().collect()
}

pub(super) fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Name(n)) if n.eq_ignore_ascii_case(kw))
}

pub(super) fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Name(s) | Tok::NamePh(s) | Tok::ValuePh(s) => s.clone(),
        Tok::Num(n) => n.to_string(),
        Tok::Sym(s) => s.to_string(),
    }
}
