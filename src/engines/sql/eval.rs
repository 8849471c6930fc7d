//! Evaluating bound expressions against a row: the tree walk ([`Executor::eval`]), three-valued
//! logic, arithmetic, comparison, LIKE and casts, each with its flavour's rules. The built-in
//! scalar functions (`ABS`, `CONCAT`, `NOW` ...) are in `func`.
//!
//! A bound expression ([`BExpr`]) has had its names replaced by positions: `Col(3)` is the fourth
//! value of the current row, `Outer(1, 0)` the first value of the row of the query one level out
//! (a correlated subquery). A subquery inside an expression is run by the executor
//! (`Executor::subquery`), which runs an uncorrelated one once per statement and caches its rows.

use super::ast::{BinOp, UnOp};
use super::error::{Result, SqlError};
use super::flavour::Flavour;
use super::func;
use super::plan::BExpr;
use super::run::Executor;
use super::types::*;
use std::borrow::Cow;
use std::cmp::Ordering;

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
pub(super) fn to_number(v: &Value) -> Value {
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

pub(super) fn float_result(f: f64) -> Value {
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

impl<'a> Executor<'a> {
    /// An operand of a comparison or arithmetic: a column, a literal or a parameter is read
    /// where it is (comparing `name = 'x'` copies neither text), anything else is evaluated.
    #[inline]
    pub(super) fn operand<'v>(&mut self, e: &'v BExpr, row: &'v [Value]) -> Result<Cow<'v, Value>>
    where
        'a: 'v,
    {
        let params: &'a [Value] = self.env.params;
        Ok(match e {
            BExpr::Col(i) => Cow::Borrowed(row.get(*i).unwrap_or(&Value::Null)),
            BExpr::Lit(v) => Cow::Borrowed(v),
            BExpr::Param(i) => match params.get(*i) {
                Some(v) => Cow::Borrowed(v),
                None => return Err(SqlError::MissingParameter(*i + 1)),
            },
            e => Cow::Owned(self.eval(e, row)?),
        })
    }

    /// Evaluates an expression over a row.
    pub fn eval(&mut self, e: &BExpr, row: &[Value]) -> Result<Value> {
        let fl = self.flavour();
        Ok(match e {
            BExpr::Lit(v) => v.clone(),
            BExpr::Param(i) => match self.env.params.get(*i) {
                Some(v) => v.clone(),
                None => return Err(SqlError::MissingParameter(*i + 1)),
            },
            BExpr::Col(i) => row.get(*i).cloned().unwrap_or(Value::Null),
            BExpr::Outer(d, i) => self.outer_value(*d, *i),
            BExpr::Agg(_) | BExpr::Win(_) => Value::Null,
            BExpr::Unary(op, a) => {
                let v = self.eval(a, row)?;
                match (op, v) {
                    (_, Value::Null) => Value::Null,
                    (UnOp::Plus, v) => v,
                    (UnOp::Neg, v) => arith(BinOp::Sub, &Value::Int(0), &v, fl)?,
                    (UnOp::Not, v) => match truth(&v) {
                        Some(b) => bool_value(!b, fl),
                        None => Value::Null,
                    },
                }
            }
            BExpr::Binary(op, a, b) => {
                match op {
                    BinOp::And => {
                        let l = truth(&self.eval(a, row)?);
                        if l == Some(false) {
                            return Ok(bool_value(false, fl));
                        }
                        let r = truth(&self.eval(b, row)?);
                        return Ok(match (l, r) {
                            (_, Some(false)) => bool_value(false, fl),
                            (Some(true), Some(true)) => bool_value(true, fl),
                            _ => Value::Null,
                        });
                    }
                    BinOp::Or => {
                        let l = truth(&self.eval(a, row)?);
                        if l == Some(true) {
                            return Ok(bool_value(true, fl));
                        }
                        let r = truth(&self.eval(b, row)?);
                        return Ok(match (l, r) {
                            (_, Some(true)) => bool_value(true, fl),
                            (Some(false), Some(false)) => bool_value(false, fl),
                            _ => Value::Null,
                        });
                    }
                    _ => {}
                }
                let l = self.operand(a, row)?;
                let r = self.operand(b, row)?;
                binary(*op, &l, &r, fl)?
            }
            BExpr::IsNull(a, neg) => bool_value(self.eval(a, row)?.is_null() != *neg, fl),
            BExpr::IsBool(a, value, neg) => {
                let t = truth(&self.eval(a, row)?);
                bool_value((t == Some(*value)) != *neg, fl)
            }
            BExpr::InList(a, list, neg) => {
                let v = self.eval(a, row)?;
                let mut vals = Vec::with_capacity(list.len());
                for x in list {
                    vals.push(self.eval(x, row)?);
                }
                in_values(&v, vals.iter(), *neg, fl)
            }
            BExpr::InSub(a, sub, neg) => {
                let v = self.eval(a, row)?;
                let rows = self.subquery(sub, row)?;
                in_values(&v, rows.iter().map(|r| r.first().unwrap_or(&Value::Null)), *neg, fl)
            }
            BExpr::Exists(sub, neg) => {
                let rows = self.subquery(sub, row)?;
                bool_value(rows.is_empty() == *neg, fl)
            }
            BExpr::Scalar(sub) => {
                let rows = self.subquery(sub, row)?;
                if rows.len() > 1 {
                    return Err(SqlError::SubqueryRows);
                }
                rows.first().and_then(|r| r.first()).cloned().unwrap_or(Value::Null)
            }
            BExpr::Between(a, lo, hi, neg) => {
                let v = self.operand(a, row)?;
                let lo = self.operand(lo, row)?;
                let hi = self.operand(hi, row)?;
                let ge = binary(BinOp::GtEq, &v, &lo, fl)?;
                let le = binary(BinOp::LtEq, &v, &hi, fl)?;
                let r = match (truth(&ge), truth(&le)) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
                match r {
                    Some(b) => bool_value(b != *neg, fl),
                    None => Value::Null,
                }
            }
            BExpr::Like { expr, pattern, negated, ci, escape } => {
                let v = self.eval(expr, row)?;
                let p = self.eval(pattern, row)?;
                if v.is_null() || p.is_null() {
                    Value::Null
                } else {
                    let m = like(&text_of(&v, fl), &text_of(&p, fl), *escape, *ci);
                    bool_value(m != *negated, fl)
                }
            }
            BExpr::Case(operand, whens, otherwise) => {
                let op = match operand {
                    Some(o) => Some(self.eval(o, row)?),
                    None => None,
                };
                for (w, then) in whens {
                    let c = self.eval(w, row)?;
                    let hit = match &op {
                        Some(o) => truth(&binary(BinOp::Eq, o, &c, fl)?) == Some(true),
                        None => truth(&c) == Some(true),
                    };
                    if hit {
                        return self.eval(then, row);
                    }
                }
                match otherwise {
                    Some(o) => self.eval(o, row)?,
                    None => Value::Null,
                }
            }
            BExpr::Cast(a, to) => {
                let v = self.eval(a, row)?;
                cast(&v, to, fl)?
            }
            BExpr::Func(f, args) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a, row)?);
                }
                func::call(*f, &vals, &self.env)?
            }
        })
    }
}

/// Booleans are 1 and 0 in MySQL, true and false in PostgreSQL.
pub fn bool_value(b: bool, fl: Flavour) -> Value {
    if fl.is_mysql() {
        Value::Int(b as i64)
    } else {
        Value::Bool(b)
    }
}

pub fn binary(op: BinOp, l: &Value, r: &Value, fl: Flavour) -> Result<Value> {
    match op {
        BinOp::NullSafeEq => {
            return Ok(bool_value(
                match (l.is_null(), r.is_null()) {
                    (true, true) => true,
                    (false, false) => compare(l, r, fl) == Ordering::Equal,
                    _ => false,
                },
                fl,
            ))
        }
        BinOp::IsDistinct => {
            let same = binary(BinOp::NullSafeEq, l, r, fl)?;
            return Ok(bool_value(truth(&same) != Some(true), fl));
        }
        _ => {}
    }
    if l.is_null() || r.is_null() {
        return Ok(Value::Null);
    }
    Ok(match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::IntDiv => arith(op, l, r, fl)?,
        BinOp::Concat => Value::Text(format!("{}{}", text_of(l, fl), text_of(r, fl))),
        BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq => {
            let o = compare(l, r, fl);
            let b = match op {
                BinOp::Eq => o == Ordering::Equal,
                BinOp::NotEq => o != Ordering::Equal,
                BinOp::Lt => o == Ordering::Less,
                BinOp::LtEq => o != Ordering::Greater,
                BinOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            };
            bool_value(b, fl)
        }
        _ => Value::Null,
    })
}

fn in_values<'v>(v: &Value, list: impl Iterator<Item = &'v Value>, negated: bool, fl: Flavour) -> Value {
    let mut list = list.peekable();
    if list.peek().is_none() {
        return bool_value(negated, fl);
    }
    if v.is_null() {
        return Value::Null;
    }
    let mut saw_null = false;
    for x in list {
        if x.is_null() {
            saw_null = true;
        } else if compare(v, x, fl) == Ordering::Equal {
            return bool_value(!negated, fl);
        }
    }
    if saw_null {
        Value::Null
    } else {
        bool_value(negated, fl)
    }
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
