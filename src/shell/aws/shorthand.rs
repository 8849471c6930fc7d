//! The AWS CLI's shorthand syntax: `Key=Value,Other=[a,b],Nested={A=1}`.
//!
//! ```text
//!   AttributeName=id,KeyType=HASH        → {"AttributeName": "id", "KeyType": "HASH"}
//!   Names=a,b,c                          → {"Names": ["a", "b", "c"]}   (a csv list)
//!   Tags=[{Key=k,Value=v}]               → {"Tags": [{"Key": "k", "Value": "v"}]}
//!   Name="a, b"                          → {"Name": "a, b"}             (quotes keep commas)
//! ```
//!
//! Values come out as strings, lists and maps; the caller converts them to the parameter's
//! shape (numbers, booleans) afterwards.

/// A parsed shorthand value, before conversion to the parameter's shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Short {
    Str(String),
    List(Vec<Short>),
    Map(Vec<(String, Short)>),
}

/// A shorthand syntax error, worded as the CLI words it.
pub fn parse(input: &str) -> Result<Vec<(String, Short)>, String> {
    let mut p = Parser { chars: input.chars().collect(), pos: 0, input };
    let pairs = p.keyvals(false, 0)?;
    if p.pos < p.chars.len() {
        return Err(p.error("','"));
    }
    Ok(pairs)
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    input: &'a str,
}

/// Nesting deeper than this is refused (no input may exhaust the stack).
const MAX_DEPTH: usize = 32;

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn error(&self, expected: &str) -> String {
        let received = match self.peek() {
            Some(c) => format!("'{c}'"),
            None => "'EOF'".to_string(),
        };
        format!(
            "Expected: {expected}, received: {received} for input:\n{}\n{}^",
            self.input,
            " ".repeat(self.pos.min(self.chars.len()))
        )
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    fn keyvals(&mut self, in_hash: bool, depth: usize) -> Result<Vec<(String, Short)>, String> {
        let mut pairs = Vec::new();
        loop {
            self.skip_spaces();
            let key = self.key()?;
            if self.peek() != Some('=') {
                return Err(self.error("'='"));
            }
            self.pos += 1;
            let value = self.values(depth)?;
            pairs.push((key, value));
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') if in_hash => return Ok(pairs),
                None if !in_hash => return Ok(pairs),
                _ => return Err(self.error(if in_hash { "'}'" } else { "','" })),
            }
        }
    }

    fn key(&mut self) -> Result<String, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || "-_.#/:@".contains(c) {
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(self.error("'<key>'"));
        }
        Ok(self.chars[start..self.pos].iter().collect::<String>().trim().to_string())
    }

    /// The value after `key=`: an explicit list, a hash, or a csv list of one or more values.
    fn values(&mut self, depth: usize) -> Result<Short, String> {
        if depth > MAX_DEPTH {
            return Err("Shorthand nesting is too deep".to_string());
        }
        self.skip_spaces();
        match self.peek() {
            Some('[') => self.explicit_list(depth + 1),
            Some('{') => self.hash(depth + 1),
            _ => {
                let first = self.scalar()?;
                let mut items = vec![Short::Str(first)];
                // A csv list continues while what follows a comma is not `key=`.
                while self.peek() == Some(',') && !self.next_is_keyval() {
                    self.pos += 1;
                    items.push(Short::Str(self.scalar()?));
                }
                Ok(if items.len() == 1 { items.pop().expect("one item") } else { Short::List(items) })
            }
        }
    }

    fn next_is_keyval(&self) -> bool {
        let mut i = self.pos + 1;
        while self.chars.get(i) == Some(&' ') {
            i += 1;
        }
        let start = i;
        while let Some(c) = self.chars.get(i) {
            if c.is_alphanumeric() || "-_.#/:@".contains(*c) {
                i += 1;
            } else {
                break;
            }
        }
        i > start && self.chars.get(i) == Some(&'=')
    }

    fn explicit_list(&mut self, depth: usize) -> Result<Short, String> {
        if depth > MAX_DEPTH {
            return Err("Shorthand nesting is too deep".to_string());
        }
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(']') => {
                    self.pos += 1;
                    return Ok(Short::List(items));
                }
                Some('[') => items.push(self.explicit_list(depth + 1)?),
                Some('{') => items.push(self.hash(depth + 1)?),
                Some(_) => items.push(Short::Str(self.scalar()?)),
                None => return Err(self.error("']'")),
            }
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {}
                _ => return Err(self.error("']'")),
            }
        }
    }

    fn hash(&mut self, depth: usize) -> Result<Short, String> {
        if depth > MAX_DEPTH {
            return Err("Shorthand nesting is too deep".to_string());
        }
        self.pos += 1;
        self.skip_spaces();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Short::Map(Vec::new()));
        }
        let pairs = self.keyvals(true, depth + 1)?;
        self.pos += 1; // the closing brace
        Ok(Short::Map(pairs))
    }

    /// A plain, single-quoted or double-quoted value.
    fn scalar(&mut self) -> Result<String, String> {
        self.skip_spaces();
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error(&format!("'{q}'"))),
                        Some('\\') if self.chars.get(self.pos + 1) == Some(&q) => {
                            out.push(q);
                            self.pos += 2;
                        }
                        Some(c) if c == q => {
                            self.pos += 1;
                            return Ok(out);
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += 1;
                        }
                    }
                }
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if ",[]{}".contains(c) {
                        break;
                    }
                    self.pos += 1;
                }
                Ok(self.chars[start..self.pos].iter().collect::<String>().trim_end().to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Short {
        Short::Str(v.into())
    }

    #[test]
    fn structures_lists_and_hashes() {
        assert_eq!(
            parse("AttributeName=id,KeyType=HASH").unwrap(),
            [("AttributeName".into(), s("id")), ("KeyType".into(), s("HASH"))]
        );
        assert_eq!(parse("Names=a,b,c,Other=x").unwrap()[0].1, Short::List(vec![s("a"), s("b"), s("c")]));
        assert_eq!(
            parse("Tags=[{Key=k,Value=v}],Name=\"a, b\"").unwrap(),
            [
                ("Tags".into(), Short::List(vec![Short::Map(vec![("Key".into(), s("k")), ("Value".into(), s("v"))])])),
                ("Name".into(), s("a, b")),
            ]
        );
        assert_eq!(parse("Empty=[]").unwrap()[0].1, Short::List(vec![]));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(parse("foo").unwrap_err(), "Expected: '=', received: 'EOF' for input:\nfoo\n   ^");
        assert!(parse("a={b=1").is_err());
        assert!(parse("a=[1,2").is_err());
        let deep = format!("a={}", "{b=".repeat(100));
        assert!(parse(&deep).is_err());
    }
}
