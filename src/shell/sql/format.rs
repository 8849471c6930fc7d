//! Result sets as the two clients print them: mysql's bordered tables and `\G` records,
//! psql's aligned tables and expanded records.

use crate::engines::sql::{display_value, Flavour, Value};

fn numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Dec(_) | Value::Float(_))
}

/// Display width of a cell (characters, not bytes).
fn width(s: &str) -> usize {
    s.chars().count()
}

fn cells(rows: &[Vec<Value>], flavour: Flavour) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| {
                    display_value(v, flavour).unwrap_or_else(|| {
                        if flavour.is_mysql() {
                            "NULL".into()
                        } else {
                            String::new()
                        }
                    })
                })
                .collect()
        })
        .collect()
}

/// Columns whose every non-NULL value is a number are right-aligned (both clients do this).
fn right_aligned(columns: usize, rows: &[Vec<Value>]) -> Vec<bool> {
    (0..columns)
        .map(|c| {
            let mut any = false;
            for r in rows {
                match r.get(c) {
                    Some(Value::Null) | None => {}
                    Some(v) if numeric(v) => any = true,
                    Some(_) => return false,
                }
            }
            any
        })
        .collect()
}

/// mysql's table:
/// ```text
/// +----+-------+
/// | id | name  |
/// +----+-------+
/// |  1 | alice |
/// +----+-------+
/// ```
pub fn mysql_table(columns: &[String], rows: &[Vec<Value>]) -> String {
    let text = cells(rows, Flavour::MySql);
    let right = right_aligned(columns.len(), rows);
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| text.iter().map(|r| r.get(i).map(|s| width(s)).unwrap_or(0)).max().unwrap_or(0).max(width(c)))
        .collect();
    let border: String = format!("+{}+\n", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+"));
    let line = |values: &[String], align: &[bool]| -> String {
        let parts: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let w = widths.get(i).copied().unwrap_or(0);
                let pad = " ".repeat(w.saturating_sub(width(v)));
                if align.get(i).copied().unwrap_or(false) {
                    format!(" {pad}{v} ")
                } else {
                    format!(" {v}{pad} ")
                }
            })
            .collect();
        format!("|{}|\n", parts.join("|"))
    };
    let mut out = border.clone();
    out.push_str(&line(columns, &vec![false; columns.len()]));
    out.push_str(&border);
    for r in &text {
        out.push_str(&line(r, &right));
    }
    out.push_str(&border);
    out
}

/// mysql's `\G`: one record per row, names right-aligned.
pub fn mysql_vertical(columns: &[String], rows: &[Vec<Value>]) -> String {
    let text = cells(rows, Flavour::MySql);
    let w = columns.iter().map(|c| width(c)).max().unwrap_or(0);
    let mut out = String::new();
    for (n, r) in text.iter().enumerate() {
        out.push_str(&format!("*************************** {}. row ***************************\n", n + 1));
        for (c, v) in columns.iter().zip(r) {
            out.push_str(&format!("{}{}: {}\n", " ".repeat(w - width(c)), c, v));
        }
    }
    out
}

/// mysql's footer: `3 rows in set (0.00 sec)`, `1 row in set`, `Empty set`.
pub fn mysql_rows_footer(n: usize) -> String {
    match n {
        0 => "Empty set (0.00 sec)\n".into(),
        1 => "1 row in set (0.00 sec)\n".into(),
        n => format!("{n} rows in set (0.00 sec)\n"),
    }
}

/// psql's aligned table, with `(N rows)` and a blank line after.
pub fn psql_table(columns: &[String], rows: &[Vec<Value>]) -> String {
    let text = cells(rows, Flavour::Postgres);
    let right = right_aligned(columns.len(), rows);
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| text.iter().map(|r| r.get(i).map(|s| width(s)).unwrap_or(0)).max().unwrap_or(0).max(width(c)))
        .collect();
    let last = columns.len().saturating_sub(1);
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let w = widths[i];
            let total = w - width(c);
            let left = total / 2;
            format!(" {}{}{} ", " ".repeat(left), c, " ".repeat(total - left))
        })
        .collect();
    out.push_str(header.join("|").trim_end_matches(' '));
    out.push('\n');
    out.push_str(&widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+"));
    out.push('\n');
    for r in &text {
        let parts: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let pad = " ".repeat(widths[i].saturating_sub(width(v)));
                if right[i] {
                    format!(" {pad}{v} ")
                } else if i == last {
                    format!(" {v}")
                } else {
                    format!(" {v}{pad} ")
                }
            })
            .collect();
        out.push_str(parts.join("|").trim_end_matches(' '));
        out.push('\n');
    }
    out.push_str(&match rows.len() {
        1 => "(1 row)\n".to_string(),
        n => format!("({n} rows)\n"),
    });
    out.push('\n');
    out
}

/// psql's expanded display (`\x`).
pub fn psql_expanded(columns: &[String], rows: &[Vec<Value>]) -> String {
    if rows.is_empty() {
        return "(0 rows)\n\n".into();
    }
    let text = cells(rows, Flavour::Postgres);
    let w = columns.iter().map(|c| width(c)).max().unwrap_or(0);
    let mut out = String::new();
    for (n, r) in text.iter().enumerate() {
        out.push_str(&format!("-[ RECORD {} ]{}\n", n + 1, "-".repeat(w.saturating_sub(8).max(1))));
        for (c, v) in columns.iter().zip(r) {
            out.push_str(format!("{}{} | {}", c, " ".repeat(w - width(c)), v).trim_end());
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Value>>) {
        (
            vec!["id".into(), "name".into()],
            vec![vec![Value::Int(1), Value::Text("alice".into())], vec![Value::Int(22), Value::Null]],
        )
    }

    #[test]
    fn mysql_tables_have_borders() {
        let (c, r) = sample();
        assert_eq!(
            mysql_table(&c, &r),
            "+----+-------+\n| id | name  |\n+----+-------+\n|  1 | alice |\n| 22 | NULL  |\n+----+-------+\n"
        );
        assert_eq!(mysql_rows_footer(2), "2 rows in set (0.00 sec)\n");
        assert_eq!(
            mysql_vertical(&c, &r[..1]),
            "*************************** 1. row ***************************\n  id: 1\nname: alice\n"
        );
    }

    #[test]
    fn psql_tables_are_aligned() {
        let (c, r) = sample();
        assert_eq!(psql_table(&c, &r), " id | name\n----+-------\n  1 | alice\n 22 |\n(2 rows)\n\n");
    }
}
