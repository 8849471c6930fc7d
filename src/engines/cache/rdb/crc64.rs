//! CRC-64 "Jones", the checksum at the end of every DUMP payload (and of RDB files).
//!
//! Redis uses the polynomial `0xad93d23594c935a9` bit-reflected (input and output reflected,
//! initial value 0, no final xor): its check value, the CRC of `123456789`, is
//! `0xe9c6d914c4b8d9ca`. Reflected CRCs process the low bit first, so the table is built from
//! the bit-reversed polynomial and the register shifts right.

/// The polynomial with its bits reversed (reflected form).
const POLY_REFLECTED: u64 = 0x95ac_9329_ac4b_c9b5;

const fn table() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 == 1 { (c >> 1) ^ POLY_REFLECTED } else { c >> 1 };
            bit += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static TABLE: [u64; 256] = table();

/// The CRC of `data`, continuing from `crc` (start with 0).
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    for &b in data {
        crc = TABLE[((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::crc64;

    #[test]
    fn check_value() {
        assert_eq!(crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn a_real_dump_payload_checks() {
        // DUMP of the string "bar" from Redis 7.0.15: type, value, RDB version 10, CRC (LE).
        let payload = [0x00, 0x03, b'b', b'a', b'r', 0x0a, 0x00];
        assert_eq!(crc64(0, &payload).to_le_bytes(), [0xe6, 0xbe, 0x49, 0x60, 0xee, 0x66, 0xfd, 0x17]);
    }
}
