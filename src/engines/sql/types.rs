//! Values and column types: what a cell of a table can hold.
//!
//! One [`Value`] enum serves both flavours. Numbers come in three kinds, as in the real servers:
//! exact integers (`Int`), exact decimals (`Dec`, our own small [`Decimal`]: an `i128` mantissa
//! and a scale, enough for DECIMAL(38, s)), and binary floats (`Float`). Dates and times are kept
//! as counts (days, microseconds) so that they order and compare as numbers do.
//!
//! Values have a *total* order (NULL first, then numbers compared by value across kinds, then text,
//! ...) so that they can be keys of the B-tree indexes; SQL's three-valued comparison (anything
//! compared with NULL is unknown) lives in the evaluator, not here.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// A column's declared type, reduced to what changes behaviour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataType {
    SmallInt,
    Int,
    BigInt,
    /// DECIMAL(precision, scale).
    Decimal(u8, u8),
    Real,
    Double,
    /// VARCHAR(n) / CHAR(n): the limit is kept for display and checks.
    Varchar(Option<u32>),
    Char(Option<u32>),
    Text,
    Boolean,
    Date,
    Time,
    Timestamp,
    /// MySQL's DATETIME: a timestamp under another name.
    DateTime,
    Json,
}

impl DataType {
    /// The type's name as `SHOW COLUMNS` / `\d` print it.
    pub fn display(&self, mysql: bool) -> String {
        match (self, mysql) {
            (DataType::SmallInt, true) => "smallint".into(),
            (DataType::SmallInt, false) => "smallint".into(),
            (DataType::Int, true) => "int".into(),
            (DataType::Int, false) => "integer".into(),
            (DataType::BigInt, _) => "bigint".into(),
            (DataType::Decimal(p, s), true) => format!("decimal({p},{s})"),
            (DataType::Decimal(p, s), false) => format!("numeric({p},{s})"),
            (DataType::Real, true) => "float".into(),
            (DataType::Real, false) => "real".into(),
            (DataType::Double, true) => "double".into(),
            (DataType::Double, false) => "double precision".into(),
            (DataType::Varchar(Some(n)), true) => format!("varchar({n})"),
            (DataType::Varchar(Some(n)), false) => format!("character varying({n})"),
            (DataType::Varchar(None), true) => "varchar(255)".into(),
            (DataType::Varchar(None), false) => "character varying".into(),
            (DataType::Char(n), true) => format!("char({})", n.unwrap_or(1)),
            (DataType::Char(n), false) => format!("character({})", n.unwrap_or(1)),
            (DataType::Text, _) => "text".into(),
            (DataType::Boolean, true) => "tinyint(1)".into(),
            (DataType::Boolean, false) => "boolean".into(),
            (DataType::Date, _) => "date".into(),
            (DataType::Time, true) => "time".into(),
            (DataType::Time, false) => "time without time zone".into(),
            (DataType::Timestamp, true) => "timestamp".into(),
            (DataType::Timestamp, false) => "timestamp without time zone".into(),
            (DataType::DateTime, _) => "datetime".into(),
            (DataType::Json, _) => "json".into(),
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, DataType::SmallInt | DataType::Int | DataType::BigInt)
    }
}

/// One cell.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Value {
    Null,
    Int(i64),
    Dec(Decimal),
    Float(f64),
    Text(String),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since midnight.
    Time(i64),
    /// Microseconds since 1970-01-01 00:00:00 (no time zone: the lab runs in UTC).
    Timestamp(i64),
    /// JSON, kept as its text.
    Json(String),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a float, for arithmetic that has left exact numbers behind.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Dec(d) => Some(d.to_f64()),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Value::Text(s) => Some(parse_number_prefix(s)),
            _ => None,
        }
    }

    /// A rough size in bytes, for the server's memory quota.
    pub fn size(&self) -> usize {
        match self {
            Value::Text(s) | Value::Json(s) => 24 + s.len(),
            _ => 16,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Int(_) | Value::Dec(_) | Value::Float(_) => 2,
            Value::Text(_) => 3,
            Value::Json(_) => 4,
            Value::Date(_) => 5,
            Value::Time(_) => 6,
            Value::Timestamp(_) => 7,
        }
    }

    /// The total order used by indexes, sorting and grouping.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Dec(a), Value::Dec(b)) => a.cmp(b),
            (Value::Int(a), Value::Dec(b)) => Decimal::from_i64(*a).cmp(b),
            (Value::Dec(a), Value::Int(b)) => a.cmp(&Decimal::from_i64(*b)),
            (a, b) if a.rank() == 2 && b.rank() == 2 => a.as_f64().unwrap_or(0.0).total_cmp(&b.as_f64().unwrap_or(0.0)),
            (Value::Text(a), Value::Text(b)) | (Value::Json(a), Value::Json(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::Time(a), Value::Time(b)) | (Value::Timestamp(a), Value::Timestamp(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.total_cmp(other) == Ordering::Equal
    }
}
impl Eq for Value {}
impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Value) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Value {
    /// Integers (ids, most keys) compare inline, without the call: index searches compare a
    /// key at every step down the B-tree.
    #[inline]
    fn cmp(&self, other: &Value) -> Ordering {
        if let (Value::Int(a), Value::Int(b)) = (self, other) {
            return a.cmp(b);
        }
        self.total_cmp(other)
    }
}

/// The leading number of a string, as MySQL and SQLite read `'12abc'` in arithmetic (0 if none).
pub fn parse_number_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let bytes = t.as_bytes();
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_e = false;
    while end < bytes.len() {
        let c = bytes[end];
        let ok = match c {
            b'0'..=b'9' => {
                seen_digit = true;
                true
            }
            b'+' | b'-' => end == 0 || matches!(bytes[end - 1], b'e' | b'E'),
            b'.' if !seen_dot && !seen_e => {
                seen_dot = true;
                true
            }
            b'e' | b'E' if seen_digit && !seen_e => {
                seen_e = true;
                true
            }
            _ => false,
        };
        if !ok {
            break;
        }
        end += 1;
    }
    let mut candidate = &t[..end];
    while !candidate.is_empty() {
        if let Ok(f) = candidate.parse::<f64>() {
            return f;
        }
        candidate = &candidate[..candidate.len() - 1];
    }
    0.0
}

/// An exact decimal number: `mantissa / 10^scale`.
///
/// `packed(8)`: an `i128` would otherwise align the struct to 16 bytes, making it 32 bytes
/// long and every [`Value`] 48; packed to 8 it is 24 bytes, and a `Value` 32. Every row, index
/// key and intermediate result is made of values, so this one line saves a third of their memory.
/// (A packed field cannot be borrowed, only copied: `Decimal` is `Copy`, so code reads
/// `d.mantissa` by value.)
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[repr(C, packed(8))]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u8,
}

/// The most digits after the point a decimal keeps.
pub const MAX_SCALE: u8 = 30;

impl Decimal {
    pub fn from_i64(i: i64) -> Decimal {
        Decimal { mantissa: i as i128, scale: 0 }
    }

    /// Parses `-12.340`, `1e3` (the exponent form becomes an exact value when it fits).
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (body, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
            None => (s, 0),
        };
        let (neg, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body.strip_prefix('+').unwrap_or(body)),
        };
        let (int, frac) = match body.find('.') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 38 {
            return None;
        }
        let mut mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        let mut scale = (frac.len() as i32).checked_sub(exp)?;
        while scale < 0 {
            mantissa = mantissa.checked_mul(10)?;
            scale += 1;
        }
        if scale > MAX_SCALE as i32 {
            return None;
        }
        Some(Decimal { mantissa: if neg { -mantissa } else { mantissa }, scale: scale as u8 })
    }

    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// The same number with `scale` digits after the point (rounding half away from zero).
    pub fn rescale(&self, scale: u8) -> Option<Decimal> {
        let scale = scale.min(MAX_SCALE);
        if scale >= self.scale {
            let m = self.mantissa.checked_mul(10i128.checked_pow((scale - self.scale) as u32)?)?;
            Some(Decimal { mantissa: m, scale })
        } else {
            let div = 10i128.checked_pow((self.scale - scale) as u32)?;
            let q = self.mantissa / div;
            let r = self.mantissa % div;
            let q = if r.abs() * 2 >= div { q + self.mantissa.signum() } else { q };
            Some(Decimal { mantissa: q, scale })
        }
    }

    fn aligned(a: Decimal, b: Decimal) -> Option<(i128, i128, u8)> {
        let s = a.scale.max(b.scale);
        Some((a.rescale(s)?.mantissa, b.rescale(s)?.mantissa, s))
    }

    pub fn checked_add(self, b: Decimal) -> Option<Decimal> {
        let (x, y, s) = Decimal::aligned(self, b)?;
        Some(Decimal { mantissa: x.checked_add(y)?, scale: s })
    }

    pub fn checked_sub(self, b: Decimal) -> Option<Decimal> {
        let (x, y, s) = Decimal::aligned(self, b)?;
        Some(Decimal { mantissa: x.checked_sub(y)?, scale: s })
    }

    pub fn checked_mul(self, b: Decimal) -> Option<Decimal> {
        let d = Decimal { mantissa: self.mantissa.checked_mul(b.mantissa)?, scale: self.scale.checked_add(b.scale)? };
        if d.scale > MAX_SCALE {
            d.rescale(MAX_SCALE)
        } else {
            Some(d)
        }
    }

    /// Division keeping `extra` more digits than the dividend (MySQL's div_precision_increment
    /// is 4). None when dividing by zero or overflowing.
    pub fn checked_div(self, b: Decimal, extra: u8) -> Option<Decimal> {
        if b.mantissa == 0 {
            return None;
        }
        let scale = (self.scale + extra).min(MAX_SCALE);
        // result = a/b with `scale` digits: (a.m * 10^(scale + b.scale - a.scale)) / b.m, rounded.
        let shift = scale as i32 + b.scale as i32 - self.scale as i32;
        let num = if shift >= 0 {
            self.mantissa.checked_mul(10i128.checked_pow(shift as u32)?)?.checked_mul(10)?
        } else {
            self.mantissa.checked_div(10i128.checked_pow((-shift) as u32)?)?.checked_mul(10)?
        };
        let q = num / b.mantissa;
        let rounded = if q % 10 >= 5 {
            q / 10 + 1
        } else if q % 10 <= -5 {
            q / 10 - 1
        } else {
            q / 10
        };
        Some(Decimal { mantissa: rounded, scale })
    }

    /// The integer part, when it fits an i64.
    pub fn trunc_i64(&self) -> Option<i64> {
        let div = 10i128.checked_pow(self.scale as u32)?;
        i64::try_from(self.mantissa / div).ok()
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Decimal {}
impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match Decimal::aligned(*self, *other) {
            Some((x, y, _)) => x.cmp(&y),
            None => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let neg = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let sign = if neg { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded =
            if digits.len() <= scale { format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits) } else { digits };
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<i32> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2).unwrap_or("").trim().parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(0..=9999).contains(&y) {
        return None;
    }
    i32::try_from(days_from_civil(y, m, d)).ok()
}

/// Parses `HH:MM[:SS[.ffffff]]` into microseconds.
pub fn parse_time(s: &str) -> Option<i64> {
    let mut parts = s.trim().split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let sec: f64 = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0.0,
    };
    if !(0..=838).contains(&h) || !(0..60).contains(&m) || !(0.0..60.0).contains(&sec) {
        return None;
    }
    Some((h * 3600 + m * 60) * 1_000_000 + (sec * 1_000_000.0).round() as i64)
}

/// Parses `YYYY-MM-DD[ HH:MM:SS]` (or with a `T`) into microseconds since the epoch.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let days = parse_date(date)? as i64;
    let micros = match time {
        Some(t) => parse_time(t.trim_end_matches('Z'))?,
        None => 0,
    };
    Some(days * 86_400_000_000 + micros)
}

pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn format_time(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let base = format!("{:02}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60);
    if frac == 0 {
        base
    } else {
        format!("{base}.{}", format!("{frac:06}").trim_end_matches('0'))
    }
}

pub fn format_timestamp(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let rest = micros.rem_euclid(86_400_000_000);
    format!("{} {}", format_date(days as i32), format_time(rest))
}

/// Formats a float the way PostgreSQL prints a double (shortest round-trip form).
pub fn format_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let s = format!("{f}");
    if s.len() > 17 {
        let e = format!("{f:e}");
        if e.len() < s.len() {
            return e.replace('e', "e+").replace("e+-", "e-");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_arithmetic_is_exact() {
        let a = Decimal::parse("0.1").unwrap();
        let b = Decimal::parse("0.2").unwrap();
        assert_eq!(a.checked_add(b).unwrap().to_string(), "0.3");
        assert_eq!(
            Decimal::parse("10").unwrap().checked_div(Decimal::parse("3").unwrap(), 4).unwrap().to_string(),
            "3.3333"
        );
        assert_eq!(
            Decimal::parse("-1.5").unwrap().checked_mul(Decimal::parse("2").unwrap()).unwrap().to_string(),
            "-3.0"
        );
        assert_eq!(Decimal::parse("1.005").unwrap().rescale(2).unwrap().to_string(), "1.01");
        assert_eq!(Decimal::parse("0.05").unwrap().to_string(), "0.05");
        assert!(Decimal::parse("1").unwrap().checked_div(Decimal::parse("0").unwrap(), 4).is_none());
        assert!(Decimal::parse("abc").is_none());
    }

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2024-02-29", "1999-12-31", "0001-01-01"] {
            assert_eq!(format_date(parse_date(s).unwrap()), s);
        }
        assert_eq!(format_timestamp(parse_timestamp("2026-11-26 15:04:05").unwrap()), "2026-11-26 15:04:05");
        assert!(parse_date("2024-13-01").is_none());
    }

    #[test]
    fn a_value_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<Decimal>(), 24);
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }

    #[test]
    fn numbers_compare_across_kinds() {
        assert_eq!(Value::Int(2), Value::Float(2.0));
        assert!(Value::Dec(Decimal::parse("1.5").unwrap()) < Value::Int(2));
        assert!(Value::Null < Value::Int(-5));
    }
}
