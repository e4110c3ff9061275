//! Byte-level mutations: the fallback that knows nothing of the grammar.

use crate::rng::Rng;

const SPECIAL: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc0\x80",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\0",
    b"\r",
    b"\n",
    b"\t",
    b"\xef\xbb\xbf",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"-",
    b"&",
    b"*",
    b"!",
    b"|",
    b">",
    b"'",
    b"\"",
    b"#",
    b" ",
    b"\\",
    b"%",
    b"@",
    b"`",
    b",",
    b"?",
    b"0",
    b"~",
];

/// One byte-level mutation of `bytes`.
pub fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            let n = rng.between(1, 8).min(len - at);
            bytes.drain(at..at + n);
        }
        1 => {
            let at = rng.below(len + 1);
            let piece = *rng.pick(SPECIAL);
            bytes.splice(at..at, piece.iter().copied());
        }
        2 if len > 0 => {
            let at = rng.below(len);
            bytes[at] = (rng.next_u64() & 0xff) as u8;
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let n = rng.between(1, 64).min(len - at);
            let chunk = bytes[at..at + n].to_vec();
            let to = rng.below(len + 1);
            bytes.splice(to..to, chunk);
        }
        4 if len > 0 => {
            let at = rng.below(len);
            bytes.truncate(at);
        }
        5 if len > 0 => {
            let at = rng.below(len);
            bytes[at] ^= 1 << rng.below(8);
        }
        _ => {
            let at = rng.below(len + 1);
            let n = rng.between(1, 4);
            let piece = *rng.pick(SPECIAL);
            for _ in 0..n {
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_change_the_bytes_deterministically() {
        let original = b"api: pims.a\noperations: []\n".to_vec();
        let mut changed = 0;
        for seed in 0..50 {
            let mut a = original.clone();
            let mut b = original.clone();
            mutate(&mut Rng::new(seed), &mut a);
            mutate(&mut Rng::new(seed), &mut b);
            assert_eq!(a, b);
            changed += usize::from(a != original);
        }
        assert!(changed > 40, "{changed} of 50 changed");
    }
}
