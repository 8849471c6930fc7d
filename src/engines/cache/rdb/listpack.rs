//! Listpack and intset: the compact blobs inside DUMP payloads of small values.
//!
//! A listpack is `<total bytes u32 LE> <element count u16 LE> <element>... 0xFF`. Each element
//! is an encoding byte (with data) followed by a "backlen" giving the element's size so it can
//! be walked backwards:
//!
//! ```text
//!   0xxxxxxx                      integer 0..127
//!   10xxxxxx <data>               string shorter than 64 bytes
//!   110xxxxx yyyyyyyy             13-bit signed integer
//!   1110xxxx yyyyyyyy <data>      string shorter than 4096 bytes
//!   0xF0 <len u32 LE> <data>      longer string
//!   0xF1 / 0xF2 / 0xF3 / 0xF4     16 / 24 / 32 / 64-bit signed integer, little-endian
//! ```
//!
//! A string that reads as a canonical 64-bit integer is stored as the smallest integer form,
//! and reads back as its decimal text. An intset (small sets of integers) is
//! `<width u32 LE> <count u32 LE>` then the sorted values, each 2, 4 or 8 bytes little-endian.

use super::super::args::parse_i64;

/// The bytes of one element: encoding, data and backlen.
fn element(data: &[u8]) -> Vec<u8> {
    let mut e = Vec::with_capacity(data.len() + 6);
    if let Some(v) = parse_i64(data) {
        match v {
            0..=127 => e.push(v as u8),
            -4096..=4095 => {
                let u = if v < 0 { (1i64 << 13) + v } else { v } as u16;
                e.push(0xC0 | (u >> 8) as u8);
                e.push(u as u8);
            }
            -32768..=32767 => {
                e.push(0xF1);
                e.extend_from_slice(&(v as i16).to_le_bytes());
            }
            -8_388_608..=8_388_607 => {
                e.push(0xF2);
                e.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
            }
            -2_147_483_648..=2_147_483_647 => {
                e.push(0xF3);
                e.extend_from_slice(&(v as i32).to_le_bytes());
            }
            _ => {
                e.push(0xF4);
                e.extend_from_slice(&v.to_le_bytes());
            }
        }
    } else if data.len() < 64 {
        e.push(0x80 | data.len() as u8);
        e.extend_from_slice(data);
    } else if data.len() < 4096 {
        e.push(0xE0 | (data.len() >> 8) as u8);
        e.push(data.len() as u8);
        e.extend_from_slice(data);
    } else {
        e.push(0xF0);
        e.extend_from_slice(&(data.len() as u32).to_le_bytes());
        e.extend_from_slice(data);
    }
    let l = e.len();
    // The backlen: 7 bits per byte, most significant first, all but the first marked 0x80.
    if l <= 127 {
        e.push(l as u8);
    } else if l < 16383 {
        e.push((l >> 7) as u8);
        e.push((l & 127) as u8 | 128);
    } else if l < 2_097_151 {
        e.push((l >> 14) as u8);
        e.push(((l >> 7) & 127) as u8 | 128);
        e.push((l & 127) as u8 | 128);
    } else if l < 268_435_455 {
        e.push((l >> 21) as u8);
        e.push(((l >> 14) & 127) as u8 | 128);
        e.push(((l >> 7) & 127) as u8 | 128);
        e.push((l & 127) as u8 | 128);
    } else {
        e.push((l >> 28) as u8);
        e.push(((l >> 21) & 127) as u8 | 128);
        e.push(((l >> 14) & 127) as u8 | 128);
        e.push(((l >> 7) & 127) as u8 | 128);
        e.push((l & 127) as u8 | 128);
    }
    e
}

/// The size in bytes of the element `data` would become.
pub fn element_size(data: &[u8]) -> usize {
    element(data).len()
}

/// Builds a listpack holding `items` in order.
pub fn encode<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut lp = vec![0u8; 6];
    let mut count = 0usize;
    for item in items {
        lp.extend(element(item));
        count += 1;
    }
    lp.push(0xFF);
    let total = lp.len() as u32;
    lp[..4].copy_from_slice(&total.to_le_bytes());
    lp[4..6].copy_from_slice(&(count.min(65535) as u16).to_le_bytes());
    lp
}

fn backlen_size(l: usize) -> usize {
    match l {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    }
}

/// Reads a listpack's elements (integers as decimal text); `None` if it is malformed.
pub fn decode(lp: &[u8]) -> Option<Vec<Vec<u8>>> {
    let total = u32::from_le_bytes(lp.get(..4)?.try_into().ok()?) as usize;
    if total != lp.len() || lp.last() != Some(&0xFF) {
        return None;
    }
    let mut items = Vec::new();
    let mut i = 6;
    while lp.get(i) != Some(&0xFF) {
        let b = *lp.get(i)?;
        let start = i;
        let item: Vec<u8> = if b & 0x80 == 0 {
            i += 1;
            (b as i64).to_string().into_bytes()
        } else if b & 0xC0 == 0x80 {
            let len = (b & 0x3F) as usize;
            i = i.checked_add(1 + len)?;
            lp.get(start + 1..i)?.to_vec()
        } else if b & 0xE0 == 0xC0 {
            let u = (((b & 0x1F) as i64) << 8) | *lp.get(i + 1)? as i64;
            i += 2;
            (if u >= 1 << 12 { u - (1 << 13) } else { u }).to_string().into_bytes()
        } else if b & 0xF0 == 0xE0 {
            let len = (((b & 0x0F) as usize) << 8) | *lp.get(i + 1)? as usize;
            i = i.checked_add(2 + len)?;
            lp.get(start + 2..i)?.to_vec()
        } else {
            let int = |n: usize| -> Option<i64> {
                let bytes = lp.get(start + 1..start + 1 + n)?;
                let mut buf = [0u8; 8];
                buf[..n].copy_from_slice(bytes);
                let shift = 64 - 8 * n as u32;
                Some((i64::from_le_bytes(buf) << shift) >> shift)
            };
            match b {
                0xF0 => {
                    let len = u32::from_le_bytes(lp.get(i + 1..i + 5)?.try_into().ok()?) as usize;
                    i = i.checked_add(len)?.checked_add(5)?;
                    lp.get(start + 5..i)?.to_vec()
                }
                0xF1..=0xF4 => {
                    let n = match b {
                        0xF1 => 2,
                        0xF2 => 3,
                        0xF3 => 4,
                        _ => 8,
                    };
                    i += 1 + n;
                    int(n)?.to_string().into_bytes()
                }
                _ => return None,
            }
        };
        i += backlen_size(i - start);
        if i > lp.len() {
            return None;
        }
        items.push(item);
    }
    (i + 1 == lp.len()).then_some(items)
}

/// Builds an intset of `values` (sorted here), each at the smallest width holding them all.
pub fn encode_intset(values: &mut [i64]) -> Vec<u8> {
    values.sort_unstable();
    let width: usize = if values.iter().all(|v| i16::try_from(*v).is_ok()) {
        2
    } else if values.iter().all(|v| i32::try_from(*v).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + width * values.len());
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    for v in values.iter() {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    out
}

/// Reads an intset's values; `None` if it is malformed.
pub fn decode_intset(blob: &[u8]) -> Option<Vec<i64>> {
    let width = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let count = u32::from_le_bytes(blob.get(4..8)?.try_into().ok()?) as usize;
    if !matches!(width, 2 | 4 | 8) || Some(blob.len()) != width.checked_mul(count).and_then(|n| n.checked_add(8)) {
        return None;
    }
    Some(
        blob[8..]
            .chunks(width)
            .map(|c| {
                let mut buf = [0u8; 8];
                buf[..width].copy_from_slice(c);
                let shift = 64 - 8 * width as u32;
                (i64::from_le_bytes(buf) << shift) >> shift
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_round_trip() {
        let items: Vec<Vec<u8>> = [
            "0",
            "127",
            "128",
            "-1",
            "-4096",
            "4095",
            "32767",
            "-32768",
            "8388607",
            "2147483647",
            "9223372036854775807",
            "-9223372036854775808",
            "007",
            "hello",
            "",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([vec![b'x'; 100], vec![b'y'; 5000]])
        .collect();
        let lp = encode(items.iter().map(|i| i.as_slice()));
        assert_eq!(decode(&lp), Some(items));
    }

    #[test]
    fn intsets_round_trip() {
        let mut v = vec![5, -3, 70000, 2];
        let blob = encode_intset(&mut v);
        assert_eq!(decode_intset(&blob), Some(vec![-3, 2, 5, 70000]));
    }
}
