//! Base64 as DynamoDB's JSON protocol carries binary values (`{"B": "aGk="}`).
//!
//! Decoding is strict, with the service's messages: the length must be a multiple of 4 and the
//! text must be the canonical encoding of its bytes (so `"=+/="` is refused).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Decodes, or returns the SerializationException message DynamoDB gives.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(4) {
        return Err(format!("Base64 encoded length is expected a multiple of 4 bytes but found: {}", text.len()));
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pads = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if i >= 4 - pads {
                0
            } else {
                match sextet(c) {
                    Some(v) => v,
                    // A pad in the middle decodes to garbage that the canonical check refuses.
                    None if c == b'=' => 0,
                    None => return Err(format!("Invalid Base64 character: '{}'", c as char)),
                }
            };
            n = (n << 6) | v;
        }
        let produced = 3usize.saturating_sub(pads);
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    if encode(&out) != text {
        return Err("Invalid last non-pad Base64 character dectected".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_non_canonical_text() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            assert_eq!(decode(&encode(s.as_bytes())).unwrap(), s.as_bytes());
        }
        assert_eq!(encode(b"b"), "Yg==");
        assert_eq!(
            decode("23456").unwrap_err(),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
        );
        assert_eq!(decode("=+/=").unwrap_err(), "Invalid last non-pad Base64 character dectected");
        assert_eq!(decode("+/+=").unwrap_err(), "Invalid last non-pad Base64 character dectected");
    }
}
