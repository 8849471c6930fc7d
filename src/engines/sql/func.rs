//! The built-in scalar functions: [`Func`] names each one, [`Func::by_name`] resolves a name
//! (and its aliases across the two servers: `IFNULL` and `COALESCE`, `SUBSTR` and `SUBSTRING`)
//! when binding, and [`call`] applies one to evaluated arguments with the flavour's rules.
//!
//! `call` first answers the functions that see NULLs (`COALESCE`, `NULLIF`, `IF`, `CONCAT_WS`,
//! PostgreSQL's `CONCAT`) or read the session (`NOW`, `VERSION`, `USER` ...); any other call
//! with a NULL argument is NULL, and the rest go to `numeric`, `text_function` or `date_part`.

use super::ast::BinOp;
use super::error::{Result, SqlError};
use super::eval::{arith, cast, compare, float_result, text_of, to_number, truth, EvalEnv};
use super::flavour::Flavour;
use super::types::*;
use std::cmp::Ordering;

/// A built-in scalar function, resolved by name when binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Abs,
    Coalesce,
    NullIf,
    If,
    Length,
    CharLength,
    Lower,
    Upper,
    Concat,
    ConcatWs,
    Substring,
    Trim,
    LTrim,
    RTrim,
    Replace,
    Round,
    Ceil,
    Floor,
    Mod,
    Power,
    Sqrt,
    Greatest,
    Least,
    Now,
    CurrentDate,
    Version,
    Database,
    User,
    Left,
    Right,
    Reverse,
    Repeat,
    Position,
    Sign,
    Extract,
    Year,
    Month,
    Day,
    Date,
    Lpad,
    Rpad,
}

impl Func {
    pub fn by_name(name: &str) -> Option<Func> {
        use Func::*;
        Some(match name {
            "abs" => Abs,
            "coalesce" | "ifnull" | "nvl" => Coalesce,
            "nullif" => NullIf,
            "if" => If,
            "length" | "octet_length" => Length,
            "char_length" | "character_length" => CharLength,
            "lower" | "lcase" => Lower,
            "upper" | "ucase" => Upper,
            "concat" => Concat,
            "concat_ws" => ConcatWs,
            "substring" | "substr" | "mid" => Substring,
            "trim" | "btrim" => Trim,
            "ltrim" => LTrim,
            "rtrim" => RTrim,
            "replace" => Replace,
            "round" => Round,
            "ceil" | "ceiling" => Ceil,
            "floor" => Floor,
            "mod" => Mod,
            "power" | "pow" => Power,
            "sqrt" => Sqrt,
            "greatest" => Greatest,
            "least" => Least,
            "now" | "current_timestamp" | "localtimestamp" | "sysdate" | "statement_timestamp" => Now,
            "current_date" | "curdate" => CurrentDate,
            "version" => Version,
            "database" | "current_database" | "schema" | "current_schema" => Database,
            "user" | "current_user" | "session_user" | "system_user" => User,
            "left" => Left,
            "right" => Right,
            "reverse" => Reverse,
            "repeat" => Repeat,
            "position" | "strpos" | "instr" | "locate" => Position,
            "sign" => Sign,
            "extract" | "date_part" => Extract,
            "year" => Year,
            "month" => Month,
            "day" | "dayofmonth" => Day,
            "date" => Date,
            "lpad" => Lpad,
            "rpad" => Rpad,
            _ => return None,
        })
    }
}

fn int_arg(v: &Value) -> Option<i64> {
    match to_number(v) {
        Value::Int(i) => Some(i),
        Value::Dec(d) => d.rescale(0).and_then(|d| d.trunc_i64()),
        Value::Float(f) => Some(f.round() as i64),
        _ => None,
    }
}

/// Calls a scalar function on evaluated arguments.
pub fn call(f: Func, args: &[Value], env: &EvalEnv) -> Result<Value> {
    use Func::*;
    let fl = env.flavour;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    // Functions that see NULLs; the rest return NULL when any argument is NULL.
    match f {
        Coalesce => return Ok(args.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null)),
        NullIf => {
            let (a, b) = (arg(0), arg(1));
            return Ok(if !a.is_null() && !b.is_null() && compare(&a, &b, fl) == Ordering::Equal {
                Value::Null
            } else {
                a
            });
        }
        If => return Ok(if truth(&arg(0)) == Some(true) { arg(1) } else { arg(2) }),
        Concat if !fl.is_mysql() => return Ok(Value::Text(args.iter().map(|v| text_of(v, fl)).collect())),
        ConcatWs => {
            let sep = text_of(&arg(0), fl);
            let parts: Vec<String> = args.iter().skip(1).filter(|v| !v.is_null()).map(|v| text_of(v, fl)).collect();
            return Ok(Value::Text(parts.join(&sep)));
        }
        Now => return Ok(Value::Timestamp(env.now)),
        CurrentDate => return Ok(Value::Date(env.now.div_euclid(86_400_000_000) as i32)),
        Version => return Ok(Value::Text(fl.version().into())),
        Database => return Ok(Value::Text(env.database.into())),
        User => {
            return Ok(Value::Text(if fl.is_mysql() { format!("{}@localhost", env.user) } else { env.user.into() }))
        }
        Greatest | Least => {
            if fl.is_mysql() && args.iter().any(|v| v.is_null()) {
                return Ok(Value::Null);
            }
            let mut best: Option<Value> = None;
            for v in args.iter().filter(|v| !v.is_null()) {
                best = Some(match best {
                    None => v.clone(),
                    Some(b) => {
                        let ord = compare(v, &b, fl);
                        if (f == Greatest && ord == Ordering::Greater) || (f == Least && ord == Ordering::Less) {
                            v.clone()
                        } else {
                            b
                        }
                    }
                });
            }
            return Ok(best.unwrap_or(Value::Null));
        }
        _ => {}
    }
    if args.iter().any(|v| v.is_null()) {
        return Ok(Value::Null);
    }
    Ok(match f {
        Abs | Sign | Round | Ceil | Floor | Mod | Power | Sqrt => numeric(f, args, fl)?,
        Extract | Year | Month | Day | Date => date_part(f, args, fl)?,
        _ => text_function(f, args, fl)?,
    })
}

/// ABS, SIGN, ROUND, CEIL, FLOOR, MOD, POWER and SQRT on non-NULL arguments.
fn numeric(f: Func, args: &[Value], fl: Flavour) -> Result<Value> {
    use Func::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    Ok(match f {
        Abs => match to_number(&arg(0)) {
            Value::Int(i) => Value::Int(i.checked_abs().ok_or(SqlError::OutOfRange("bigint".into()))?),
            Value::Dec(d) => Value::Dec(Decimal { mantissa: d.mantissa.abs(), scale: d.scale }),
            Value::Float(x) => Value::Float(x.abs()),
            _ => Value::Null,
        },
        Sign => match to_number(&arg(0)) {
            Value::Int(i) => Value::Int(i.signum()),
            Value::Dec(d) => Value::Int(d.mantissa.signum() as i64),
            Value::Float(x) => Value::Int(if x > 0.0 {
                1
            } else if x < 0.0 {
                -1
            } else {
                0
            }),
            _ => Value::Null,
        },
        Round | Ceil | Floor => {
            let places = if args.len() > 1 { int_arg(&arg(1)).unwrap_or(0).clamp(-30, 30) } else { 0 };
            match to_number(&arg(0)) {
                Value::Int(i) => Value::Int(i),
                Value::Dec(d) => {
                    let p = places.max(0) as u8;
                    let r = match f {
                        Round => d.rescale(p),
                        _ => {
                            let t = Decimal::from_i64(d.trunc_i64().unwrap_or(0));
                            let adj = if f == Ceil && d > t {
                                1
                            } else if f == Floor && d < t {
                                -1
                            } else {
                                0
                            };
                            t.checked_add(Decimal::from_i64(adj))
                        }
                    };
                    r.map(Value::Dec).unwrap_or(Value::Null)
                }
                Value::Float(x) => Value::Float(match f {
                    Round => {
                        let m = 10f64.powi(places as i32);
                        (x * m).round() / m
                    }
                    Ceil => x.ceil(),
                    _ => x.floor(),
                }),
                _ => Value::Null,
            }
        }
        Mod => arith(BinOp::Mod, &arg(0), &arg(1), fl)?,
        Power => float_result(arg(0).as_f64().unwrap_or(0.0).powf(arg(1).as_f64().unwrap_or(0.0))),
        Sqrt => {
            let x = to_number(&arg(0)).as_f64().unwrap_or(0.0);
            if x < 0.0 {
                if fl.is_mysql() {
                    Value::Null
                } else {
                    return Err(SqlError::NegativeSqrt);
                }
            } else {
                Value::Float(x.sqrt())
            }
        }
        _ => Value::Null,
    })
}

/// The text functions (LENGTH, LOWER, SUBSTRING, TRIM, REPLACE, LPAD ...) on non-NULL arguments.
fn text_function(f: Func, args: &[Value], fl: Flavour) -> Result<Value> {
    use Func::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let text = |i: usize| text_of(&arg(i), fl);
    Ok(match f {
        Length => Value::Int(text(0).len() as i64),
        CharLength => Value::Int(text(0).chars().count() as i64),
        Lower => Value::Text(text(0).to_lowercase()),
        Upper => Value::Text(text(0).to_uppercase()),
        Concat => Value::Text(args.iter().map(|v| text_of(v, fl)).collect()),
        Substring => {
            let s: Vec<char> = text(0).chars().collect();
            let start = int_arg(&arg(1)).unwrap_or(1);
            let len = if args.len() > 2 { int_arg(&arg(2)).unwrap_or(0) } else { i64::MAX / 4 };
            let start0 = if start > 0 {
                start - 1
            } else if start < 0 && fl.is_mysql() {
                (s.len() as i64).saturating_add(start)
            } else if fl.is_mysql() {
                return Ok(Value::Text(String::new()));
            } else {
                start.saturating_sub(1)
            };
            let (from, to) = if !fl.is_mysql() && start < 1 {
                (0, start0.saturating_add(len).max(0))
            } else {
                (start0.max(0), start0.max(0).saturating_add(len.max(0)))
            };
            let from = (from as usize).min(s.len());
            let to = (to.max(0) as usize).min(s.len()).max(from);
            Value::Text(s[from..to].iter().collect())
        }
        Trim => Value::Text(text(0).trim_matches(' ').to_string()),
        LTrim => Value::Text(text(0).trim_start_matches(' ').to_string()),
        RTrim => Value::Text(text(0).trim_end_matches(' ').to_string()),
        Replace => {
            let from = text(1);
            if from.is_empty() {
                Value::Text(text(0))
            } else {
                Value::Text(text(0).replace(&from, &text(2)))
            }
        }
        Left | Right => {
            let s: Vec<char> = text(0).chars().collect();
            let n = int_arg(&arg(1)).unwrap_or(0).max(0) as usize;
            let n = n.min(s.len());
            Value::Text(if f == Left { s[..n].iter().collect() } else { s[s.len() - n..].iter().collect() })
        }
        Reverse => Value::Text(text(0).chars().rev().collect()),
        Repeat => {
            let n = int_arg(&arg(1)).unwrap_or(0).clamp(0, 10_000) as usize;
            let s = text(0);
            if s.len().saturating_mul(n) > 1_000_000 {
                return Err(SqlError::TableFull("repeat".into()));
            }
            Value::Text(s.repeat(n))
        }
        Position => {
            let (needle, hay) = (text(0), text(1));
            let pos = if fl.is_mysql() { hay.to_lowercase().find(&needle.to_lowercase()) } else { hay.find(&needle) };
            Value::Int(pos.map(|b| hay[..b].chars().count() as i64 + 1).unwrap_or(0))
        }
        Lpad | Rpad => {
            let s: Vec<char> = text(0).chars().collect();
            let n = int_arg(&arg(1)).unwrap_or(0).clamp(0, 100_000) as usize;
            let pad: Vec<char> = if args.len() > 2 { text(2).chars().collect() } else { vec![' '] };
            if n <= s.len() || pad.is_empty() {
                Value::Text(s[..n.min(s.len())].iter().collect())
            } else {
                let fill: String = pad.iter().cycle().take(n - s.len()).collect();
                let s: String = s.iter().collect();
                Value::Text(if f == Lpad { format!("{fill}{s}") } else { format!("{s}{fill}") })
            }
        }
        _ => Value::Null,
    })
}

/// EXTRACT and YEAR, MONTH, DAY, DATE: a part of a date or timestamp.
fn date_part(f: Func, args: &[Value], fl: Flavour) -> Result<Value> {
    use Func::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let text = |i: usize| text_of(&arg(i), fl);
    Ok(match f {
        Extract | Year | Month | Day | Date => {
            let (field, v) = match f {
                Extract => (text(0), arg(1)),
                Year => ("year".into(), arg(0)),
                Month => ("month".into(), arg(0)),
                Day => ("day".into(), arg(0)),
                _ => ("date".into(), arg(0)),
            };
            let micros = match cast(&v, &DataType::Timestamp, fl)? {
                Value::Timestamp(t) => t,
                _ => 0,
            };
            let days = micros.div_euclid(86_400_000_000);
            let rest = micros.rem_euclid(86_400_000_000) / 1_000_000;
            let (y, m, d) = civil_from_days(days);
            match field.as_str() {
                "year" => Value::Int(y),
                "month" => Value::Int(m as i64),
                "day" => Value::Int(d as i64),
                "hour" => Value::Int(rest / 3600),
                "minute" => Value::Int((rest / 60) % 60),
                "second" => Value::Int(rest % 60),
                "epoch" => Value::Int(micros / 1_000_000),
                "date" => Value::Date(days as i32),
                other => return Err(SqlError::UnknownUnit(other.to_string())),
            }
        }
        _ => Value::Null,
    })
}
