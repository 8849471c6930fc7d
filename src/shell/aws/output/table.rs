//! `--output table`: the AWS CLI's boxed tables.
//!
//! The response is walked into sections: a title (the operation, then each nested key), an
//! optional header row and value rows. Columns are sized to their widest cell, then all
//! sections are scaled to one common width, as the CLI does:
//!
//! ```text
//! --------------------------------------------------
//! |                GetCallerIdentity               |
//! +---------------+--------------------------------+
//! ...
//! ```
//!
//! A table wider than the terminal (80 columns) turns its one-row sections vertical
//! (`header | value` per line).

use super::{is_scalar, py_str};
use serde_json::Value;

/// The terminal width the CLI assumes when it cannot measure one.
const TERMINAL_WIDTH: usize = 80;

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    fn update_widths(&mut self, cells: &[String]) {
        for (i, cell) in cells.iter().enumerate() {
            let w = text_width(cell);
            match self.max_widths.get_mut(i) {
                Some(m) => *m = (*m).max(w),
                None => self.max_widths.push(w),
            }
        }
    }

    /// Column widths with `padding`, scaled so they add up to `max_width`.
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled.iter().map(|&w| round_half_even(scale * w as f64)).collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> =
                if off_by < 0 { (0..scaled.len()).rev().collect() } else { (0..scaled.len()).collect() };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum();
        let total = columns + 2 + self.indent * 2;
        total.max(text_width(&self.title) + 2 + self.indent * 2)
    }
}

/// Python's `round()`: halves go to the even neighbour.
fn round_half_even(x: f64) -> i64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && (r as i64) % 2 != 0 {
        (r - x.signum()) as i64
    } else {
        r as i64
    }
}

/// Display width as the CLI measures it: East Asian wide, full-width and ambiguous characters
/// (which include accented Latin letters such as `é`) take two columns.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) || is_ambiguous(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

/// Unicode's East Asian "Ambiguous" characters, in the ranges text is likely to contain.
fn is_ambiguous(c: char) -> bool {
    matches!(c as u32,
        0xA1 | 0xA4 | 0xA7 | 0xA8 | 0xAA | 0xAD | 0xAE | 0xB0..=0xB4 | 0xB6..=0xBA | 0xBC..=0xBF | 0xC6 | 0xD0
        | 0xD7 | 0xD8 | 0xDE..=0xE1 | 0xE6 | 0xE8..=0xEA | 0xEC | 0xED | 0xF0 | 0xF2 | 0xF3 | 0xF7..=0xFA | 0xFC
        | 0xFE | 0x101 | 0x111 | 0x113 | 0x11B | 0x126 | 0x127 | 0x12B | 0x131..=0x133 | 0x138 | 0x13F..=0x142
        | 0x144 | 0x148..=0x14B | 0x14D | 0x152 | 0x153 | 0x166 | 0x167 | 0x16B | 0x1CE | 0x1D0 | 0x1D2 | 0x1D4
        | 0x1D6 | 0x1D8 | 0x1DA | 0x1DC | 0x251 | 0x261 | 0x2C4 | 0x2C7 | 0x2C9..=0x2CB | 0x2CD | 0x2D0
        | 0x2D8..=0x2DB | 0x2DD | 0x2DF | 0x300..=0x36F | 0x391..=0x3A1 | 0x3A3..=0x3A9 | 0x3B1..=0x3C1
        | 0x3C3..=0x3C9 | 0x401 | 0x410..=0x44F | 0x451 | 0x2010 | 0x2013..=0x2016 | 0x2018 | 0x2019 | 0x201C
        | 0x201D | 0x2020..=0x2022 | 0x2024..=0x2027 | 0x2030 | 0x2032 | 0x2033 | 0x2035 | 0x203B | 0x203E
        | 0x20AC | 0x2103 | 0x2105 | 0x2109 | 0x2113 | 0x2116 | 0x2121 | 0x2122 | 0x2126 | 0x212B | 0x2153..=0x2154
        | 0x2160..=0x216B | 0x2170..=0x2179 | 0x2190..=0x2199 | 0x21D2 | 0x21D4 | 0x2200 | 0x2202 | 0x2203
        | 0x2207 | 0x2208 | 0x220B | 0x220F | 0x2211 | 0x2215 | 0x221A | 0x221D..=0x2220 | 0x2223 | 0x2225
        | 0x2227..=0x222C | 0x222E | 0x2234..=0x2237 | 0x223C | 0x223D | 0x2248 | 0x224C | 0x2252 | 0x2260
        | 0x2261 | 0x2264..=0x2267 | 0x226A | 0x226B | 0x226E | 0x226F | 0x2282 | 0x2283 | 0x2286 | 0x2287
        | 0x2295 | 0x2299 | 0x22A5 | 0x22BF | 0x2312 | 0x2460..=0x24E9 | 0x24EB..=0x254B | 0x2550..=0x2573
        | 0x2580..=0x258F | 0x2592..=0x2595 | 0x25A0 | 0x25A1 | 0x25A3..=0x25A9 | 0x25B2 | 0x25B3 | 0x25B6
        | 0x25B7 | 0x25BC | 0x25BD | 0x25C0 | 0x25C1 | 0x25C6..=0x25C8 | 0x25CB | 0x25CE..=0x25D1
        | 0x25E2..=0x25E5 | 0x25EF | 0x2605 | 0x2606 | 0x2609 | 0x260E | 0x260F | 0x261C | 0x261E | 0x2640
        | 0x2642 | 0x2660 | 0x2661 | 0x2663..=0x2665 | 0x2667..=0x266A | 0x266C | 0x266D | 0x266F
        | 0xE000..=0xF8FF | 0xFFFD)
}

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("a section")
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section { title: title.to_string(), indent, ..Section::default() });
    }

    /// Walks a value into sections; false when there is nothing to show.
    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> bool {
        if is_falsy(current) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent);
        }
        match current {
            Value::Array(items) => {
                if items[0].is_object() {
                    self.add_list(items, indent, title);
                } else {
                    for item in items {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current().add_row(inner.iter().map(py_str).collect())
                            }
                            Value::Object(map) if map.values().all(is_scalar) => {
                                // The CLI iterates a dict's keys here, so it shows them.
                                self.current().add_row(map.keys().cloned().collect())
                            }
                            v if is_scalar(v) => self.current().add_row(vec![py_str(v)]),
                            v => {
                                self.build(None, v, 0);
                            }
                        }
                    }
                }
            }
            Value::Object(_) => self.add_dict(current, indent),
            _ => {}
        }
        true
    }

    fn add_dict(&mut self, current: &Value, indent: usize) {
        let Value::Object(map) = current else { return };
        let (headers, more) = group_keys(current);
        if headers.len() == 1 {
            let value = py_str(&map[&headers[0]]);
            self.current().add_row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| py_str(&map[k])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent + 1);
        }
    }

    fn add_list(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in items {
            let (h, m) = group_keys(item);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or(""), indent);
                self.current().add_header(headers.clone());
            }
            let map = item.as_object();
            let row = headers.iter().map(|h| map.and_then(|m| m.get(h)).map(py_str).unwrap_or_default()).collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(v) = map.and_then(|m| m.get(key)) {
                    self.build(Some(key), v, indent + 1);
                }
            }
        }
    }
}

/// Python's truthiness, which decides whether a value gets a section.
fn is_falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// A dict's keys split into those with scalar values (headers) and the rest, each sorted.
fn group_keys(value: &Value) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            if is_scalar(v) {
                headers.push(k.clone());
            } else {
                more.push(k.clone());
            }
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

pub fn render(title: &str, value: &Value) -> String {
    let mut builder = Builder::default();
    if !builder.build(Some(title), value, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let mut max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if max_width > TERMINAL_WIDTH {
        for section in sections.iter_mut() {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let headers = std::mem::take(&mut section.headers);
                let row = section.rows.remove(0);
                let mut vertical =
                    Section { title: section.title.clone(), indent: section.indent, ..Section::default() };
                for (h, v) in headers.into_iter().zip(row) {
                    vertical.add_row(vec![h, v]);
                }
                *section = vertical;
            }
        }
        max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    let mut out = String::new();
    out.push_str(&"-".repeat(max_width));
    out.push('\n');
    for section in &sections {
        render_section(section, max_width, &mut out);
    }
    out
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let edge = "|".repeat(section.indent);
    let mut line = |text: String| {
        out.push_str(&edge);
        out.push_str(&text);
        out.push_str(&edge);
        out.push('\n');
    };
    let width = max_width.saturating_sub(section.indent * 2);
    if !section.title.is_empty() {
        line(center(&section.title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    let widths = section.column_widths(4, width);
    if !section.headers.is_empty() {
        let mut text = String::new();
        for (i, (w, h)) in widths.iter().zip(&section.headers).enumerate() {
            text.push_str(&center(h, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(line_break(&widths));
        line(text);
    }
    if !section.rows.is_empty() && !widths.is_empty() {
        line(line_break(&widths));
        for row in &section.rows {
            let mut text = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                text.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|"));
            }
            line(text);
        }
        line(line_break(&widths));
    }
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let len = text_width(text) as i64;
    let start = length as i64 / 2 - len / 2 - 1;
    let so_far = left.len() as i64 + start + len;
    let right_spaces = length as i64 - right.len() as i64 - so_far;
    format!("{left}{}{text}{}{right}", " ".repeat(start.max(0) as usize), " ".repeat(right_spaces.max(0) as usize))
}

fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let len = text_width(text);
    let padding = if length >= len + 2 + left.len() + right.len() { 2 } else { 0 };
    let so_far = left.len() + padding + len;
    let fill = length.saturating_sub(so_far + right.len());
    format!("{left}{}{text}{}{right}", " ".repeat(padding), " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_is_nothing_and_rounding_is_pythons() {
        assert_eq!(render("X", &json!({})), "");
        assert_eq!(round_half_even(2.5), 2);
        assert_eq!(round_half_even(3.5), 4);
        assert_eq!(round_half_even(2.4), 2);
    }
}
