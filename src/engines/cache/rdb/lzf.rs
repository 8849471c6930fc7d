//! LZF, the compression RDB uses for strings longer than 20 bytes (DUMP payloads included).
//!
//! A compressed stream is a sequence of runs, each introduced by a control byte `ctrl`:
//! - `ctrl < 32`: a literal run, the next `ctrl + 1` bytes are copied as they are;
//! - otherwise a back reference: length `(ctrl >> 5) + 2` (when the top three bits are all
//!   ones, one more byte adds to the length), and offset `((ctrl & 0x1f) << 8 | next) + 1`
//!   counted back from the end of what has been produced so far.
//!
//! The compressor is liblzf's `lzf_compress` as Redis builds it (a 2^16-slot hash of the next
//! three bytes, the "very fast" variant that re-hashes two positions after each match), so a
//! payload compresses to the very bytes Redis writes.

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

fn idx(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// Compresses `input` into at most `out_len` bytes; `None` when it does not fit (Redis then
/// stores the string uncompressed).
pub fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let in_len = input.len();
    if in_len == 0 || out_len == 0 {
        return None;
    }
    // Positions + 1 of the last place each hash was seen (0: never).
    let mut htab = vec![0usize; HSIZE];
    let mut out: Vec<u8> = Vec::with_capacity(out_len + 1);
    let mut lit: usize = 0;
    out.push(0); // the control byte of the first literal run
    let mut ip = 0usize;
    let first = |p: usize| ((input[p] as u32) << 8) | input[p + 1] as u32;
    let next = |v: u32, p: usize| (v << 8) | input[p + 2] as u32;
    let mut hval = if in_len >= 2 { first(0) } else { 0 };
    while in_len >= 3 && ip < in_len - 2 {
        hval = next(hval, ip);
        let slot = idx(hval);
        let reference = htab[slot];
        htab[slot] = ip + 1;
        let matched = reference > 1 && {
            let r = reference - 1;
            r < ip && ip - r - 1 < MAX_OFF && input[r + 2] == input[ip + 2] && input[r..r + 2] == input[ip..ip + 2]
        };
        if matched {
            let r = reference - 1;
            let off = ip - r - 1;
            let mut len = 2usize;
            let maxlen = (in_len - ip - len).min(MAX_REF);
            // The exact test liblzf makes before writing a reference.
            if out.len() + 3 + 1 >= out_len && out.len() - usize::from(lit == 0) + 3 + 1 >= out_len {
                return None;
            }
            let run_start = out.len() - lit - 1;
            out[run_start] = (lit as u8).wrapping_sub(1); // close the literal run
            if lit == 0 {
                out.pop(); // an empty run is undone
            }
            // liblzf compares 16 bytes unrolled first when the match may be long, without the
            // `maxlen` bound (the bytes exist: `maxlen` keeps two in reserve), then one by one.
            let mut mismatch = false;
            if maxlen > 16 {
                for _ in 0..16 {
                    len += 1;
                    if input[r + len] != input[ip + len] {
                        mismatch = true;
                        break;
                    }
                }
            }
            if !mismatch {
                loop {
                    len += 1;
                    if len >= maxlen || input[r + len] != input[ip + len] {
                        break;
                    }
                }
            }
            len -= 2; // now the number of octets minus one
            ip += 1;
            if len < 7 {
                out.push(((off >> 8) + (len << 5)) as u8);
            } else {
                out.push(((off >> 8) + (7 << 5)) as u8);
                out.push((len - 7) as u8);
            }
            out.push(off as u8);
            lit = 0;
            out.push(0); // start a new literal run
            ip += len + 1;
            if ip >= in_len - 2 {
                break;
            }
            // Hash the two positions just before the new one, as the very-fast variant does.
            ip -= 2;
            hval = first(ip);
            hval = next(hval, ip);
            htab[idx(hval)] = ip + 1;
            ip += 1;
            hval = next(hval, ip);
            htab[idx(hval)] = ip + 1;
            ip += 1;
        } else {
            if out.len() >= out_len {
                return None;
            }
            lit += 1;
            out.push(input[ip]);
            ip += 1;
            if lit == MAX_LIT {
                let run_start = out.len() - lit - 1;
                out[run_start] = (lit - 1) as u8;
                lit = 0;
                out.push(0);
            }
        }
    }
    if out.len() + 3 > out_len {
        return None;
    }
    while ip < in_len {
        lit += 1;
        out.push(input[ip]);
        ip += 1;
        if lit == MAX_LIT {
            let run_start = out.len() - lit - 1;
            out[run_start] = (lit - 1) as u8;
            lit = 0;
            out.push(0);
        }
    }
    let run_start = out.len() - lit - 1;
    out[run_start] = (lit as u8).wrapping_sub(1);
    if lit == 0 {
        out.pop();
    }
    Some(out)
}

/// Decompresses into exactly `expected_len` bytes; `None` on a malformed stream.
pub fn decompress(input: &[u8], expected_len: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(expected_len.min(1 << 26));
    let mut i = 0;
    while i < input.len() {
        let ctrl = input[i] as usize;
        i += 1;
        if ctrl < 32 {
            let n = ctrl + 1;
            let run = input.get(i..i + n)?;
            if out.len() + n > expected_len {
                return None;
            }
            out.extend_from_slice(run);
            i += n;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *input.get(i)? as usize;
                i += 1;
            }
            let back = ((ctrl & 0x1f) << 8) + *input.get(i)? as usize + 1;
            i += 1;
            let len = len + 2;
            if back > out.len() || out.len() + len > expected_len {
                return None;
            }
            let start = out.len() - back;
            for k in 0..len {
                let b = out[start + k];
                out.push(b);
            }
        }
    }
    (out.len() == expected_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{compress, decompress};

    #[test]
    fn round_trips() {
        let samples: Vec<Vec<u8>> = vec![
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(),
            b"hello hello hello hello world world world".to_vec(),
            (0..5000u32).map(|i| (i * 7 % 13) as u8).collect(),
            vec![b'x'; 65535],
        ];
        for s in samples {
            let c = compress(&s, s.len() - 4).expect("compressible");
            assert_eq!(decompress(&c, s.len()).as_deref(), Some(s.as_slice()));
        }
    }

    #[test]
    fn incompressible_input_does_not_fit() {
        let s: Vec<u8> = (0..40u8).collect();
        assert!(compress(&s, s.len() - 4).is_none());
    }
}
