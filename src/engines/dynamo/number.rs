//! DynamoDB numbers: decimals of up to 38 significant digits, from 1E-130 to 9.99..E+125.
//!
//! A number is kept as a sign, its significant digits (no leading or trailing zeros) and the
//! position of the decimal point relative to the first digit:
//!
//! ```text
//!   -0015.7890e6   →  negative, digits "15789", point after 8 digits  →  "-15789000"
//!    0.0012        →  positive, digits "12",    point at -2           →  "0.0012"
//!   value = ±0.d1d2d3... × 10^point
//! ```
//!
//! This is all DynamoDB needs: exact comparison, exact addition and subtraction (for `ADD` and
//! `SET a = a + :n`), and the normalised text it returns (`1.50` comes back as `1.5`).

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The most significant digits a number may carry.
pub const MAX_DIGITS: usize = 38;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Number {
    negative: bool,
    /// Significant digits as ASCII, without leading or trailing zeros; empty for zero.
    digits: String,
    /// value = 0.digits × 10^point
    point: i32,
}

/// Why a text is not a DynamoDB number, in the service's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    NotNumeric(String),
    TooManyDigits,
    Overflow,
    Underflow,
}

impl NumberError {
    pub fn message(&self) -> String {
        match self {
            NumberError::NotNumeric(text) if text.is_empty() => {
                "The parameter cannot be converted to a numeric value".into()
            }
            NumberError::NotNumeric(text) => format!("The parameter cannot be converted to a numeric value: {text}"),
            NumberError::TooManyDigits => "Attempting to store more than 38 significant digits in a Number".into(),
            NumberError::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range".into()
            }
            NumberError::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range".into()
            }
        }
    }
}

impl Number {
    pub fn zero() -> Number {
        Number { negative: false, digits: String::new(), point: 0 }
    }

    pub fn from_i64(n: i64) -> Number {
        Number::parse(&n.to_string()).unwrap_or_else(|_| Number::zero())
    }

    /// Reads a number as DynamoDB accepts it: `[+-]digits[.digits][e[+-]digits]`.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let not_numeric = || NumberError::NotNumeric(text.to_string());
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&c) = bytes.first() {
            if c == b'-' || c == b'+' {
                negative = c == b'-';
                i = 1;
            }
        }
        let mut mantissa = String::new();
        let mut point_at: Option<usize> = None;
        let mut saw_digit = false;
        while i < bytes.len() {
            let c = bytes[i];
            if c.is_ascii_digit() {
                mantissa.push(c as char);
                saw_digit = true;
            } else if c == b'.' && point_at.is_none() {
                point_at = Some(mantissa.len());
            } else {
                break;
            }
            i += 1;
        }
        if !saw_digit {
            return Err(not_numeric());
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() {
            if bytes[i] != b'e' && bytes[i] != b'E' {
                return Err(not_numeric());
            }
            let rest = &text[i + 1..];
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_numeric());
            }
            // Clamp huge exponents: anything this large over- or underflows anyway.
            let magnitude: i64 = digits.parse().unwrap_or(i64::from(i32::MAX)).min(100_000);
            exponent = if rest.starts_with('-') { -magnitude } else { magnitude };
        }
        let int_len = point_at.unwrap_or(mantissa.len()) as i64;
        let leading = mantissa.bytes().take_while(|&b| b == b'0').count();
        let significant = mantissa[leading..].trim_end_matches('0');
        if significant.is_empty() {
            return Ok(Number::zero());
        }
        if significant.len() > MAX_DIGITS {
            return Err(NumberError::TooManyDigits);
        }
        let point = int_len - leading as i64 + exponent;
        if point > 126 {
            return Err(NumberError::Overflow);
        }
        if point < -129 {
            return Err(NumberError::Underflow);
        }
        Ok(Number { negative, digits: significant.to_string(), point: point as i32 })
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// How many significant digits the number has (used by item size).
    pub fn digit_count(&self) -> usize {
        self.digits.len()
    }

    /// The significant digits, as ASCII (empty for zero).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Where the decimal point sits: value = ±0.digits × 10^point.
    pub fn point(&self) -> i32 {
        self.point
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The text DynamoDB returns: plain notation, no exponent, no superfluous zeros.
    pub fn to_text(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        let len = self.digits.len() as i32;
        if self.point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-self.point) as usize));
            out.push_str(&self.digits);
        } else if self.point >= len {
            out.push_str(&self.digits);
            out.extend(std::iter::repeat_n('0', (self.point - len) as usize));
        } else {
            out.push_str(&self.digits[..self.point as usize]);
            out.push('.');
            out.push_str(&self.digits[self.point as usize..]);
        }
        out
    }

    /// Magnitude comparison, ignoring signs.
    fn cmp_magnitude(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.point.cmp(&other.point).then_with(|| {
            let (a, b) = (self.digits.as_bytes(), other.digits.as_bytes());
            for i in 0..a.len().max(b.len()) {
                let (x, y) = (a.get(i).copied().unwrap_or(b'0'), b.get(i).copied().unwrap_or(b'0'));
                if x != y {
                    return x.cmp(&y);
                }
            }
            Ordering::Equal
        })
    }

    /// Exact sum. Fails as DynamoDB does when the result leaves the supported range.
    pub fn add(&self, other: &Number) -> Result<Number, NumberError> {
        if self.is_zero() {
            return Ok(other.clone());
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        // Write both as integers scaled to the same lowest digit position.
        let low = (self.point - self.digits.len() as i32).min(other.point - other.digits.len() as i32);
        let as_scaled = |n: &Number| -> Vec<u8> {
            let mut v: Vec<u8> = n.digits.bytes().map(|b| b - b'0').collect();
            let pad = (n.point - n.digits.len() as i32 - low) as usize;
            v.extend(std::iter::repeat_n(0, pad));
            v
        };
        let (a, b) = (as_scaled(self), as_scaled(other));
        let width = a.len().max(b.len()) + 1;
        let align = |v: &Vec<u8>| -> Vec<u8> {
            let mut out = vec![0; width - v.len()];
            out.extend_from_slice(v);
            out
        };
        let (a, b) = (align(&a), align(&b));
        let (negative, result) = if self.negative == other.negative {
            let mut out = vec![0u8; width];
            let mut carry = 0;
            for i in (0..width).rev() {
                let s = a[i] + b[i] + carry;
                out[i] = s % 10;
                carry = s / 10;
            }
            (self.negative, out)
        } else {
            let (big, small, negative) = match self.cmp_magnitude(other) {
                Ordering::Equal => return Ok(Number::zero()),
                Ordering::Greater => (&a, &b, self.negative),
                Ordering::Less => (&b, &a, other.negative),
            };
            let mut out = vec![0u8; width];
            let mut borrow = 0i8;
            for i in (0..width).rev() {
                let mut d = big[i] as i8 - small[i] as i8 - borrow;
                borrow = 0;
                if d < 0 {
                    d += 10;
                    borrow = 1;
                }
                out[i] = d as u8;
            }
            (negative, out)
        };
        let text: String = result.iter().map(|d| (d + b'0') as char).collect();
        let int_digits = width as i32 + low;
        // Rebuild through the parser: it normalises and checks the range and precision.
        let mut literal = String::new();
        if negative {
            literal.push('-');
        }
        literal.push_str("0.");
        literal.push_str(&text);
        literal.push_str(&format!("e{int_digits}"));
        Number::parse(&literal)
    }

    pub fn negate(&self) -> Number {
        let mut n = self.clone();
        if !n.is_zero() {
            n.negative = !n.negative;
        }
        n
    }

    pub fn sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.add(&other.negate())
    }

    /// The value as an f64 (for TTL timestamps; precision does not matter there).
    pub fn to_f64(&self) -> f64 {
        self.to_text().parse().unwrap_or(0.0)
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        let sign = |n: &Number| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let magnitude = self.cmp_magnitude(other);
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn normalises_as_dynamodb_returns_numbers() {
        assert_eq!(n("1.50").to_text(), "1.5");
        assert_eq!(n("-0015.789e6").to_text(), "-15789000");
        assert_eq!(
            n("0000012345678901234567890123456789012345678").to_text(),
            "12345678901234567890123456789012345678"
        );
        assert_eq!(
            n("-00001.23456789012345678901234567890123456780000").to_text(),
            "-1.2345678901234567890123456789012345678"
        );
        assert_eq!(n("0001.000e-130").to_text(), format!("0.{}1", "0".repeat(129)));
        assert_eq!(n("0009.99999999999999999999999999999999999990000e125").to_text().len(), 126);
        assert_eq!(n("-0").to_text(), "0");
        assert_eq!(n("0.0012").to_text(), "0.0012");
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        assert_eq!(Number::parse("b"), Err(NumberError::NotNumeric("b".into())));
        assert_eq!(Number::parse("").unwrap_err().message(), "The parameter cannot be converted to a numeric value");
        assert_eq!(Number::parse("123456789012345678901234567890123456789"), Err(NumberError::TooManyDigits));
        assert_eq!(Number::parse("1e126"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("1e-131"), Err(NumberError::Underflow));
        assert!(Number::parse("1e2x").is_err());
    }

    #[test]
    fn compares_and_adds_exactly() {
        assert!(n("-10.1") < n("-9.9"));
        assert!(n("0.09") < n("0.1"));
        assert!(n("10") > n("9.99"));
        assert_eq!(n("1.5").cmp(&n("1.50")), Ordering::Equal);
        assert_eq!(n("0.1").add(&n("0.2")).unwrap().to_text(), "0.3");
        assert_eq!(n("5").sub(&n("7.25")).unwrap().to_text(), "-2.25");
        assert_eq!(n("-5").add(&n("5")).unwrap().to_text(), "0");
        assert_eq!(n("999").add(&n("1")).unwrap().to_text(), "1000");
        assert_eq!(n("1e20").add(&n("1e-5")).unwrap().to_text(), "100000000000000000000.00001");
    }

    #[test]
    fn random_sums_agree_with_integers() {
        let mut rng = crate::engines::rng::Rng::new(5);
        for _ in 0..500 {
            let a = rng.range(0, 2_000_000) as i64 - 1_000_000;
            let b = rng.range(0, 2_000_000) as i64 - 1_000_000;
            assert_eq!(Number::from_i64(a).add(&Number::from_i64(b)).unwrap(), Number::from_i64(a + b));
            assert_eq!(Number::from_i64(a).cmp(&Number::from_i64(b)), a.cmp(&b));
        }
    }
}
