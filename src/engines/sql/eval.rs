//! Evaluating bound expressions against a row: arithmetic, comparison, three-valued logic,
//! casts and the built-in scalar functions, each with its flavour's rules.
//!
//! A bound expression ([`BExpr`]) has had its names replaced by positions: `Col(3)` is the fourth
//! value of the current row, `Outer(1, 0)` the first value of the row of the query one level out
//! (a correlated subquery). Subqueries are run through the [`SubqueryRunner`] the executor gives.

use super::ast::BinOp;
use super::error::{Result, SqlError};
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

/// What the evaluator needs from the session around it.
pub struct EvalEnv<'a> {
    pub flavour: Flavour,
    /// Microseconds since the epoch: the lab's virtual `now`.
    pub now: i64,
    pub database: &'a str,
    pub user: &'a str,
    /// The values of a prepared statement's parameters (`$1` is the first).
    pub params: &'a [Value],
}

pub fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Dec(d) => Some(d.mantissa != 0),
        Value::Float(f) => Some(*f != 0.0),
        Value::Text(s) | Value::Json(s) => Some(parse_number_prefix(s) != 0.0),
        _ => Some(true),
    }
}

fn is_numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Dec(_) | Value::Float(_))
}

/// Text read as a number for arithmetic: an integer when it is one, else a float.
fn to_number(v: &Value) -> Value {
    match v {
        Value::Text(s) | Value::Json(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Value::Int(i)
            } else if let Some(d) = Decimal::parse(t) {
                Value::Dec(d)
            } else {
                Value::Float(parse_number_prefix(t))
            }
        }
        Value::Bool(b) => Value::Int(*b as i64),
        Value::Date(d) => {
            let (y, m, dd) = civil_from_days(*d as i64);
            Value::Int(y * 10000 + m as i64 * 100 + dd as i64)
        }
        v => v.clone(),
    }
}

fn as_dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from_i64(*i)),
        Value::Dec(d) => Some(*d),
        _ => None,
    }
}

fn float_result(f: f64) -> Value {
    if f.is_finite() {
        Value::Float(f)
    } else {
        Value::Null
    }
}

/// Arithmetic on two non-NULL values.
pub fn arith(op: BinOp, a: &Value, b: &Value, flavour: Flavour) -> Result<Value> {
    let a = to_number(a);
    let b = to_number(b);
    if !is_numeric(&a) || !is_numeric(&b) {
        return Err(SqlError::NoSuchOperator);
    }
    let overflow = || SqlError::OutOfRange("bigint".into());
    if let (Value::Int(x), Value::Int(y)) = (&a, &b) {
        {
            let (x, y) = (*x, *y);
            return Ok(match op {
                BinOp::Add => Value::Int(x.checked_add(y).ok_or_else(overflow)?),
                BinOp::Sub => Value::Int(x.checked_sub(y).ok_or_else(overflow)?),
                BinOp::Mul => Value::Int(x.checked_mul(y).ok_or_else(overflow)?),
                BinOp::Div if flavour.is_mysql() => {
                    if y == 0 {
                        Value::Null
                    } else {
                        Value::Dec(Decimal::from_i64(x).checked_div(Decimal::from_i64(y), 4).ok_or_else(overflow)?)
                    }
                }
                BinOp::Div | BinOp::IntDiv => {
                    if y == 0 {
                        if flavour.is_mysql() {
                            Value::Null
                        } else {
                            return Err(SqlError::DivisionByZero);
                        }
                    } else {
                        Value::Int(x.checked_div(y).ok_or_else(overflow)?)
                    }
                }
                BinOp::Mod => {
                    if y == 0 {
                        if flavour.is_mysql() {
                            Value::Null
                        } else {
                            return Err(SqlError::DivisionByZero);
                        }
                    } else {
                        Value::Int(x.checked_rem(y).unwrap_or(0))
                    }
                }
                _ => Value::Null,
            });
        }
    }
    if let (Some(x), Some(y)) = (as_dec(&a), as_dec(&b)) {
        let r = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::Div | BinOp::IntDiv | BinOp::Mod if y.mantissa == 0 => {
                return if flavour.is_mysql() { Ok(Value::Null) } else { Err(SqlError::DivisionByZero) };
            }
            BinOp::Div => x.checked_div(y, if flavour.is_mysql() { 4 } else { 16u8.saturating_sub(x.scale).max(4) }),
            BinOp::IntDiv => x.checked_div(y, 0).and_then(|q| q.trunc_i64()).map(Decimal::from_i64),
            BinOp::Mod => {
                let q = x.checked_div(y, 0).map(|q| Decimal::from_i64(q.trunc_i64().unwrap_or(0)));
                q.and_then(|q| y.checked_mul(q)).and_then(|p| x.checked_sub(p))
            }
            _ => None,
        };
        return match r {
            Some(d) if op == BinOp::IntDiv => Ok(Value::Int(d.trunc_i64().unwrap_or(0))),
            Some(d) => Ok(Value::Dec(d)),
            None => Ok(float_arith(op, x.to_f64(), y.to_f64(), flavour)?),
        };
    }
    float_arith(op, a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0), flavour)
}

fn float_arith(op: BinOp, x: f64, y: f64, flavour: Flavour) -> Result<Value> {
    if matches!(op, BinOp::Div | BinOp::Mod | BinOp::IntDiv) && y == 0.0 {
        return if flavour.is_mysql() { Ok(Value::Null) } else { Err(SqlError::DivisionByZero) };
    }
    Ok(match op {
        BinOp::Add => float_result(x + y),
        BinOp::Sub => float_result(x - y),
        BinOp::Mul => float_result(x * y),
        BinOp::Div => float_result(x / y),
        BinOp::IntDiv => Value::Int((x / y).trunc() as i64),
        BinOp::Mod => float_result(x % y),
        _ => Value::Null,
    })
}

/// Compares two non-NULL values the SQL way (text against numbers reads the text as a number;
/// MySQL's default collation ignores case).
pub fn compare(a: &Value, b: &Value, flavour: Flavour) -> Ordering {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => {
            if flavour.is_mysql() {
                let (x, y) = (x.trim_end(), y.trim_end());
                x.to_lowercase().cmp(&y.to_lowercase())
            } else {
                x.cmp(y)
            }
        }
        (Value::Text(_), other) | (other, Value::Text(_)) => {
            let flip = matches!(a, Value::Text(_));
            let (t, o) = if flip { (a, b) } else { (b, a) };
            let Value::Text(s) = t else { return Ordering::Equal };
            let converted = match o {
                Value::Date(_) => parse_date(s).map(Value::Date),
                Value::Timestamp(_) => parse_timestamp(s).map(Value::Timestamp),
                Value::Time(_) => parse_time(s).map(Value::Time),
                Value::Bool(_) => match s.to_lowercase().as_str() {
                    "t" | "true" | "yes" | "on" | "1" => Some(Value::Bool(true)),
                    "f" | "false" | "no" | "off" | "0" => Some(Value::Bool(false)),
                    _ => None,
                },
                _ => Some(to_number(t)),
            };
            let ord = match converted {
                Some(c) => c.total_cmp(other),
                None => Ordering::Less,
            };
            if flip {
                ord
            } else {
                ord.reverse()
            }
        }
        (Value::Bool(x), Value::Int(_)) | (Value::Bool(x), Value::Dec(_)) | (Value::Bool(x), Value::Float(_)) => {
            Value::Int(*x as i64).total_cmp(b)
        }
        (Value::Int(_) | Value::Dec(_) | Value::Float(_), Value::Bool(y)) => a.total_cmp(&Value::Int(*y as i64)),
        (Value::Timestamp(x), Value::Date(y)) => x.cmp(&(*y as i64 * 86_400_000_000)),
        (Value::Date(x), Value::Timestamp(y)) => (*x as i64 * 86_400_000_000).cmp(y),
        _ => a.total_cmp(b),
    }
}

/// SQL LIKE with `%` and `_` (and an escape character).
pub fn like(text: &str, pattern: &str, escape: Option<char>, case_insensitive: bool) -> bool {
    let (t, p): (Vec<char>, Vec<char>) = if case_insensitive {
        (text.to_lowercase().chars().collect(), pattern.to_lowercase().chars().collect())
    } else {
        (text.chars().collect(), pattern.chars().collect())
    };
    // Iterative matching with backtracking to the last `%` (linear-ish, no recursion).
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let pc = p.get(pi).copied();
        match pc {
            Some(c) if Some(c) == escape && pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                ti += 1;
                pi += 2;
                continue;
            }
            Some(c) if Some(c) == escape && pi + 1 < p.len() => {}
            Some('%') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('_') => {
                ti += 1;
                pi += 1;
                continue;
            }
            Some(c) if c == t[ti] => {
                ti += 1;
                pi += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while p.get(pi) == Some(&'%') {
        pi += 1;
    }
    pi == p.len()
}

/// The text form of a value, as string functions and concatenation see it.
pub fn text_of(v: &Value, flavour: Flavour) -> String {
    match v {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Dec(d) => d.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Text(s) | Value::Json(s) => s.clone(),
        Value::Bool(b) => match (flavour, b) {
            (Flavour::MySql, true) => "1".into(),
            (Flavour::MySql, false) => "0".into(),
            (Flavour::Postgres, true) => "true".into(),
            (Flavour::Postgres, false) => "false".into(),
        },
        Value::Date(d) => format_date(*d),
        Value::Time(t) => format_time(*t),
        Value::Timestamp(t) => format_timestamp(*t),
    }
}

fn invalid(type_name: &str, v: &Value, flavour: Flavour) -> SqlError {
    SqlError::InvalidValue { type_name: type_name.into(), value: text_of(v, flavour) }
}

/// The conversion a value undergoes when stored in a column of type `to` ([`cast`]), for a
/// value the caller gives away: one that already fits the column (an integer in range, a text
/// not too long) is kept as it is, without a copy.
pub fn store(v: Value, to: &DataType, flavour: Flavour) -> Result<Value> {
    let fits = match (&v, to) {
        (Value::Null, _) | (Value::Int(_), DataType::BigInt) | (Value::Text(_), DataType::Text) => true,
        (Value::Int(i), DataType::Int) => i32::try_from(*i).is_ok(),
        (Value::Int(i), DataType::SmallInt) => i16::try_from(*i).is_ok(),
        // No more bytes than the limit: no more characters either.
        (Value::Text(s), DataType::Varchar(n) | DataType::Char(n)) => n.is_none_or(|n| s.len() <= n as usize),
        _ => false,
    };
    if fits {
        Ok(v)
    } else {
        cast(&v, to, flavour)
    }
}

/// CAST and the conversion a value undergoes when stored in a column of type `to`.
pub fn cast(v: &Value, to: &DataType, flavour: Flavour) -> Result<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    Ok(match to {
        DataType::SmallInt | DataType::Int | DataType::BigInt => {
            let (lo, hi, name) = match to {
                DataType::SmallInt => (i16::MIN as i64, i16::MAX as i64, "smallint"),
                DataType::Int => (i32::MIN as i64, i32::MAX as i64, "integer"),
                _ => (i64::MIN, i64::MAX, "bigint"),
            };
            let i = match v {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                Value::Dec(d) => d.rescale(0).and_then(|d| d.trunc_i64()).ok_or(SqlError::OutOfRange(name.into()))?,
                Value::Float(f) => {
                    let r = f.round();
                    if r < lo as f64 || r > hi as f64 {
                        return Err(SqlError::OutOfRange(name.into()));
                    }
                    r as i64
                }
                Value::Text(s) => match s.trim().parse::<i64>() {
                    Ok(i) => i,
                    Err(_) if flavour.is_mysql() => parse_number_prefix(s).round() as i64,
                    Err(_) => return Err(invalid(name, v, flavour)),
                },
                _ => return Err(invalid(name, v, flavour)),
            };
            if i < lo || i > hi {
                return Err(SqlError::OutOfRange(name.into()));
            }
            Value::Int(i)
        }
        DataType::Decimal(p, s) => {
            let d = match v {
                Value::Int(i) => Decimal::from_i64(*i),
                Value::Dec(d) => *d,
                Value::Float(f) => {
                    Decimal::parse(&format!("{f:.*}", *s as usize)).ok_or(SqlError::OutOfRange("numeric".into()))?
                }
                Value::Bool(b) => Decimal::from_i64(*b as i64),
                Value::Text(t) => match Decimal::parse(t) {
                    Some(d) => d,
                    None if flavour.is_mysql() => {
                        Decimal::parse(&format_float(parse_number_prefix(t))).unwrap_or(Decimal::from_i64(0))
                    }
                    None => return Err(invalid("numeric", v, flavour)),
                },
                _ => return Err(invalid("numeric", v, flavour)),
            };
            let d = d.rescale(*s).ok_or(SqlError::OutOfRange("numeric".into()))?;
            let digits = d.mantissa.unsigned_abs().to_string().len();
            if digits > *p as usize && d.mantissa != 0 {
                return Err(SqlError::OutOfRange("numeric field".into()));
            }
            Value::Dec(d)
        }
        DataType::Real | DataType::Double => match v {
            Value::Text(t) => match t.trim().parse::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) if flavour.is_mysql() => Value::Float(parse_number_prefix(t)),
                Err(_) => return Err(invalid("double precision", v, flavour)),
            },
            other => match other.as_f64() {
                Some(f) => Value::Float(f),
                None => return Err(invalid("double precision", v, flavour)),
            },
        },
        DataType::Varchar(n) | DataType::Char(n) => {
            let s = text_of(v, flavour);
            if let Some(n) = n {
                if s.chars().count() > *n as usize {
                    let trimmed = s.trim_end();
                    if trimmed.chars().count() > *n as usize {
                        return Err(SqlError::ValueTooLong(*n));
                    }
                    return Ok(Value::Text(trimmed.to_string()));
                }
            }
            Value::Text(s)
        }
        DataType::Text => Value::Text(text_of(v, flavour)),
        DataType::Json => Value::Json(text_of(v, flavour)),
        DataType::Boolean => match v {
            Value::Bool(b) => Value::Bool(*b),
            Value::Text(s) => match s.trim().to_lowercase().as_str() {
                "t" | "true" | "yes" | "y" | "on" | "1" => Value::Bool(true),
                "f" | "false" | "no" | "n" | "off" | "0" => Value::Bool(false),
                _ => return Err(invalid("boolean", v, flavour)),
            },
            other => Value::Bool(truth(other).unwrap_or(false)),
        },
        DataType::Date => match v {
            Value::Date(d) => Value::Date(*d),
            Value::Timestamp(t) => Value::Date(t.div_euclid(86_400_000_000) as i32),
            Value::Text(s) => Value::Date(
                parse_date(s)
                    .or_else(|| parse_timestamp(s).map(|t| t.div_euclid(86_400_000_000) as i32))
                    .ok_or_else(|| invalid("date", v, flavour))?,
            ),
            _ => return Err(invalid("date", v, flavour)),
        },
        DataType::Time => match v {
            Value::Time(t) => Value::Time(*t),
            Value::Timestamp(t) => Value::Time(t.rem_euclid(86_400_000_000)),
            Value::Text(s) => Value::Time(parse_time(s).ok_or_else(|| invalid("time", v, flavour))?),
            _ => return Err(invalid("time", v, flavour)),
        },
        DataType::Timestamp | DataType::DateTime => match v {
            Value::Timestamp(t) => Value::Timestamp(*t),
            Value::Date(d) => Value::Timestamp(*d as i64 * 86_400_000_000),
            Value::Text(s) => Value::Timestamp(parse_timestamp(s).ok_or_else(|| invalid("timestamp", v, flavour))?),
            _ => return Err(invalid("timestamp", v, flavour)),
        },
    })
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
    let text = |i: usize| text_of(&arg(i), fl);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_matches_wildcards() {
        assert!(like("hello", "h%o", None, false));
        assert!(like("hello", "_ello", None, false));
        assert!(!like("hello", "h%x", None, false));
        assert!(like("50%", "50!%", Some('!'), false));
        assert!(like("HeLLo", "hello", None, true));
        assert!(like("", "%", None, false));
    }

    #[test]
    fn division_differs_by_flavour() {
        let seven = Value::Int(7);
        let two = Value::Int(2);
        assert_eq!(arith(BinOp::Div, &seven, &two, Flavour::Postgres).unwrap(), Value::Int(3));
        assert_eq!(text_of(&arith(BinOp::Div, &seven, &two, Flavour::MySql).unwrap(), Flavour::MySql), "3.5000");
        assert_eq!(arith(BinOp::Div, &seven, &Value::Int(0), Flavour::MySql).unwrap(), Value::Null);
        assert_eq!(arith(BinOp::Div, &seven, &Value::Int(0), Flavour::Postgres), Err(SqlError::DivisionByZero));
    }
}
