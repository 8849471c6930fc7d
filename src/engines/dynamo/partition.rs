//! Where an item lives: the hash of its partition key, which orders a Scan and splits a
//! parallel Scan into segments.
//!
//! DynamoDB spreads items over partitions by an MD5-style hash of the partition key's bytes.
//! The lab uses the first 24 bits of MD5 over a fixed salt and the key's bytes, the same
//! scheme the reference recordings were made with, so a Scan returns items in the order they
//! show and a segment holds the same items:
//!
//! ```text
//!   key bytes:  S → UTF-8    B → raw    N → sortable base-100 encoding (below)
//!   hash      = first 3 bytes of MD5("Outliers" ++ key bytes)   e.g. 0x3fa2c1
//!   segment s of T holds the hashes whose top 12 bits p satisfy
//!               ceil(4096·s/T) ≤ p < ceil(4096·(s+1)/T)
//! ```
//!
//! Items of a global or local index are ordered by the index key, then by the hash of the
//! table key (partition and sort key bytes together), so equal index keys still come out in a
//! fixed order.

use super::md5::Md5;
use super::number::Number;
use super::table::KeyPart;

const SALT: &[u8] = b"Outliers";

/// The bytes a number key is hashed as: an exponent byte, then the digits in base 100 (each
/// pair plus one), as DynamoDB's storage encodes numbers; negatives are complemented so they
/// sort below positives.
///
/// ```text
///   1     → c1 0b          (exponent 193, digit pair "01" + 1)
///   -1    → 3e 5b 66       (complemented exponent, 101 - 10, end marker 102)
/// ```
pub fn number_bytes(n: &Number) -> Vec<u8> {
    if n.is_zero() {
        return vec![0x80];
    }
    let exponent = n.point();
    let pad = exponent.rem_euclid(2) != 0;
    let mut digits: Vec<i32> = Vec::with_capacity(n.digits().len() + 1);
    if pad {
        digits.push(0);
    }
    digits.extend(n.digits().bytes().map(|b| i32::from(b - b'0')));
    let exp_byte = (exponent + i32::from(pad)).div_euclid(2) - 64;
    let mut out = Vec::with_capacity(digits.len() / 2 + 3);
    out.push(if n.is_negative() { !exp_byte } else { exp_byte } as u8);
    for pair in digits.chunks(2) {
        let v = pair[0] * 10 + pair.get(1).copied().unwrap_or(0);
        out.push(if n.is_negative() { 101 - v } else { v + 1 } as u8);
    }
    if n.is_negative() && out.len() - 1 < 20 {
        out.push(102);
    }
    out
}

fn feed(h: &mut Md5, part: &KeyPart) {
    match part {
        KeyPart::S(s) => h.update(s.as_bytes()),
        KeyPart::B(b) => h.update(b),
        KeyPart::N(n) => h.update(number_bytes(n)),
    }
}

fn top24(h: Md5) -> u64 {
    let d = h.finalize();
    (u64::from(d[0]) << 16) | (u64::from(d[1]) << 8) | u64::from(d[2])
}

/// The 24-bit hash of a partition key.
pub fn hash(pk: &KeyPart) -> u64 {
    let mut h = Md5::new();
    h.update(SALT);
    feed(&mut h, pk);
    top24(h)
}

/// The 24-bit hash of a whole table key (partition and sort key): how index entries with
/// equal index keys are ordered.
pub fn key_hash(pk: &KeyPart, sk: Option<&KeyPart>) -> u64 {
    let mut h = Md5::new();
    h.update(SALT);
    feed(&mut h, pk);
    if let Some(sk) = sk {
        feed(&mut h, sk);
    }
    top24(h)
}

/// Whether a partition-key hash falls in `segment` of `total` (a parallel Scan).
pub fn in_segment(hash: u64, segment: u64, total: u64) -> bool {
    if total <= 1 {
        return true;
    }
    let p = hash >> 12;
    let bound = |s: u64| (4096 * s).div_ceil(total);
    (segment == 0 || p >= bound(segment)) && p < bound(segment + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn numbers_encode_as_storage_sorts_them() {
        assert_eq!(number_bytes(&n("0")), vec![0x80]);
        assert_eq!(number_bytes(&n("1")), vec![0xc1, 2]);
        assert_eq!(number_bytes(&n("10")), vec![0xc1, 11]);
        assert_eq!(number_bytes(&n("100")), vec![0xc2, 2]);
        assert_eq!(number_bytes(&n("-1")), vec![0x3e, 100, 102]);
        assert_eq!(number_bytes(&n("0.5")), vec![0xc0, 51]);
    }

    #[test]
    fn segments_cover_the_hash_space_once() {
        for total in [1u64, 2, 3, 7, 4096, 5000] {
            for p in [0u64, 1, 2047, 2048, 4095] {
                let h = p << 12;
                let n = (0..total).filter(|&s| in_segment(h, s, total)).count();
                assert_eq!(n, 1, "hash {p} of {total}");
            }
        }
    }
}
