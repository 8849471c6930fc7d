//! Ziplist, the compact encoding of Redis 6.2 and older (listpack's predecessor), read so
//! that DUMP payloads of old servers still RESTORE.
//!
//! `<total bytes u32 LE> <tail offset u32 LE> <count u16 LE> <entry>... 0xFF`, each entry being
//! the previous entry's length (1 byte, or 0xFE and 4 bytes), an encoding, and the data:
//!
//! ```text
//!   00pppppp                 string shorter than 64 bytes
//!   01pppppp qqqqqqqq        string shorter than 16384 bytes (length big-endian)
//!   10000000 <len u32 BE>    longer string
//!   11000000 / 11010000 / 11100000 / 11110000 / 11111110
//!                            16 / 32 / 64 / 24 / 8-bit signed integer, little-endian
//!   1111xxxx                 integer 0..12 stored in the encoding byte itself (xxxx - 1)
//! ```

/// Reads a ziplist's elements (integers as decimal text); `None` if it is malformed.
pub fn decode(zl: &[u8]) -> Option<Vec<Vec<u8>>> {
    let total = u32::from_le_bytes(zl.get(..4)?.try_into().ok()?) as usize;
    if total != zl.len() || zl.last() != Some(&0xFF) {
        return None;
    }
    let mut items = Vec::new();
    let mut i = 10;
    while *zl.get(i)? != 0xFF {
        i += if zl[i] == 0xFE { 5 } else { 1 };
        let b = *zl.get(i)?;
        let int = |at: usize, n: usize| -> Option<i64> {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(zl.get(at..at + n)?);
            let shift = 64 - 8 * n as u32;
            Some((i64::from_le_bytes(buf) << shift) >> shift)
        };
        let item = match b >> 6 {
            0 => {
                let len = (b & 0x3F) as usize;
                i = i.checked_add(1 + len)?;
                zl.get(i - len..i)?.to_vec()
            }
            1 => {
                let len = (((b & 0x3F) as usize) << 8) | *zl.get(i + 1)? as usize;
                i = i.checked_add(2 + len)?;
                zl.get(i - len..i)?.to_vec()
            }
            2 => {
                let len = u32::from_be_bytes(zl.get(i + 1..i + 5)?.try_into().ok()?) as usize;
                i = i.checked_add(len)?.checked_add(5)?;
                zl.get(i - len..i)?.to_vec()
            }
            _ => {
                let (value, size) = match b {
                    0xC0 => (int(i + 1, 2)?, 2),
                    0xD0 => (int(i + 1, 4)?, 4),
                    0xE0 => (int(i + 1, 8)?, 8),
                    0xF0 => (int(i + 1, 3)?, 3),
                    0xFE => (int(i + 1, 1)?, 1),
                    0xF1..=0xFD => ((b & 0x0F) as i64 - 1, 0),
                    _ => return None,
                };
                i += 1 + size;
                value.to_string().into_bytes()
            }
        };
        items.push(item);
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_strings_and_integers() {
        // "ab", 5 (immediate), 300 (int16), end.
        let mut zl = vec![0u8; 10];
        zl.extend([0x00, 0x02, b'a', b'b']);
        zl.extend([0x04, 0xF6]);
        zl.extend([0x02, 0xC0, 0x2C, 0x01]);
        zl.push(0xFF);
        let total = zl.len() as u32;
        zl[..4].copy_from_slice(&total.to_le_bytes());
        assert_eq!(super::decode(&zl), Some(vec![b"ab".to_vec(), b"5".to_vec(), b"300".to_vec()]));
    }
}
