//! Pattern checks: regex-lite, with a shortcut for the simplest patterns.
//!
//! regex-lite (a PikeVM) takes about a microsecond to match a phone number
//! against `^\+?[0-9]{6,15}$`, several times the cost of writing the whole
//! request. Most spec patterns are of one plain shape: a sequence of
//! character sets, each repeated a number of times, optionally anchored at
//! both ends. For such a pattern, whether a string matches is a question
//! that needs no regex engine: [`Simple`] reads the pattern (at compile
//! time, for a check table's [`Pattern`]; otherwise on the stack at each
//! call: no cache, lock or allocation) and answers it with a bitset
//! of the positions a match can reach, piece after piece (about 0.15 µs for
//! the phone number, against regex-lite's 0.75 µs).
//!
//! The shape [`Simple`] reads, and nothing else (all of it documented
//! regex-lite syntax, so every such pattern is valid regex-lite):
//!
//! - `^` as the first character and `$` as the last, each optional
//!   (regex-lite without flags: the start and the end of the string);
//! - atoms: an ASCII letter or digit, `_`, `-`, `@`, `,`, `:`, `/`, `=`,
//!   or a space, as itself; `\` then ASCII punctuation other than `<` and
//!   `>`, as that character; `\d`, `\w`, `\s`, `\D`, `\W`, `\S` (ASCII, as
//!   regex-lite has them); a bracketed class `[…]` or `[^…]` of such
//!   characters (the unescaped ones limited to ASCII letters, digits, `_`,
//!   `.`, `+`, `@` and space), of ranges `x-y` between them, and of
//!   `\d \w \s \D \W \S`;
//! - each atom followed by at most one greedy quantifier: `?`, `*`, `+`,
//!   `{n}`, `{n,}` or `{n,m}` (n ≤ m ≤ 100); at most 8 atoms.
//!
//! Any other pattern (groups, alternation, `.`, flags, lazy quantifiers,
//! word boundaries, other escapes, …) and any string longer than 63
//! characters is matched by regex-lite itself, compiled once per thread and
//! pattern (no lock). Tests compare both on many patterns and strings.

use std::cell::RefCell;
use std::collections::HashMap;

/// A pattern of an operation's check table ([`Rule::Pattern`](crate::Rule::Pattern)),
/// read when the generated crate compiles: `Pattern::new` is `const`, so a
/// pattern of the simple shape is matched without reading it again at each
/// call, and any other goes to regex-lite.
#[derive(Clone, Copy)]
pub struct Pattern {
    source: &'static str,
    simple: Option<Simple>,
}

impl Pattern {
    /// The pattern `source` (regex-lite syntax), read.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            simple: Simple::new(source),
        }
    }

    /// The pattern as written.
    pub const fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches it anywhere, as `regex_lite::Regex::is_match`;
    /// `Err` when the pattern is not a valid regex.
    pub(crate) fn is_match(&self, text: &str) -> Result<bool, String> {
        if let Some(matched) = self.simple.as_ref().and_then(|s| s.is_match(text)) {
            return Ok(matched);
        }
        regex_match(self.source, text)
    }
}

/// Two patterns are equal when they are written alike (what is read from
/// a text follows from it).
impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Whether `text` matches `pattern` anywhere, as `regex_lite::Regex::is_match`;
/// `Err` when the pattern is not a valid regex. For patterns that are not in
/// a check table (the contract's, read by the simulator).
#[cfg(any(test, feature = "simulator"))]
pub(crate) fn matches(pattern: &'static str, text: &str) -> Result<bool, String> {
    Pattern::new(pattern).is_match(text)
}

/// regex-lite's answer, the regex compiled once per thread and pattern.
fn regex_match(pattern: &'static str, text: &str) -> Result<bool, String> {
    thread_local! {
        static COMPILED: RefCell<HashMap<&'static str, regex_lite::Regex>> =
            RefCell::new(HashMap::new());
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if let Some(regex) = compiled.get(pattern) {
            return Ok(regex.is_match(text));
        }
        let regex = regex_lite::Regex::new(pattern)
            .map_err(|e| format!("the pattern `{pattern}` is not a valid regex: {e}"))?;
        let matched = regex.is_match(text);
        compiled.insert(pattern, regex);
        Ok(matched)
    })
}

/// A pattern of the simple shape (see the module's docs), read into its
/// pieces (on the stack: reading it costs less than looking it up).
#[derive(Debug, Clone, Copy)]
struct Simple {
    pieces: [Piece; MAX_PIECES],
    len: usize,
    start: bool,
    end: bool,
}

/// An atom and its repetition bounds.
#[derive(Debug, Clone, Copy)]
struct Piece {
    set: Set,
    min: u32,
    max: Option<u32>,
}

/// The characters an atom accepts: a bit per ASCII character, and whether
/// it accepts every other one (a negated class) or none.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Set {
    ascii: u128,
    other: bool,
}

impl Set {
    const EMPTY: Set = Set {
        ascii: 0,
        other: false,
    };

    const fn char(c: u8) -> Set {
        Set {
            ascii: 1 << c,
            other: false,
        }
    }

    const fn range(lo: u8, hi: u8) -> Set {
        const fn upto(c: u8) -> u128 {
            if c >= 127 {
                u128::MAX
            } else {
                (1u128 << (c + 1)) - 1
            }
        }
        Set {
            ascii: upto(hi) & !(upto(lo) >> 1),
            other: false,
        }
    }

    const fn union(self, other: Set) -> Set {
        Set {
            ascii: self.ascii | other.ascii,
            other: self.other | other.other,
        }
    }

    const fn negate(self) -> Set {
        Set {
            ascii: !self.ascii,
            other: !self.other,
        }
    }

    fn accepts(self, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b < 128 => self.ascii & (1 << b) != 0,
            _ => self.other,
        }
    }
}

/// Most pieces read here.
const MAX_PIECES: usize = 8;

/// Largest counted repetition read here.
const MAX_COUNT: u32 = 100;

/// Longest string matched here: positions 0..=63 fit a `u64`.
const MAX_CHARS: usize = 63;

impl Simple {
    // `const`, as everything that reads a pattern: a check table's
    // `Pattern::new` is read when the generated crate compiles
    const fn new(pattern: &str) -> Option<Simple> {
        let b = pattern.as_bytes();
        let mut from = 0;
        let mut to = b.len();
        let start = to > 0 && b[0] == b'^';
        if start {
            from = 1;
        }
        // `$` last, and not escaped (an odd run of `\` before it)
        let mut end = false;
        if to > from && b[to - 1] == b'$' {
            let mut slashes = 0;
            while to - 1 - slashes > from && b[to - 2 - slashes] == b'\\' {
                slashes += 1;
            }
            end = slashes % 2 == 0;
        }
        if end {
            to -= 1;
        }
        let mut simple = Simple {
            pieces: [Piece {
                set: Set::EMPTY,
                min: 0,
                max: None,
            }; MAX_PIECES],
            len: 0,
            start,
            end,
        };
        let mut at = from;
        while at < to {
            let Some((piece, next)) = piece(b, at, to) else {
                return None;
            };
            if simple.len == MAX_PIECES {
                return None;
            }
            simple.pieces[simple.len] = piece;
            simple.len += 1;
            at = next;
        }
        Some(simple)
    }

    /// Whether `text` has a match; `None` when it is too long to be read here.
    fn is_match(&self, text: &str) -> Option<bool> {
        let pieces = &self.pieces[..self.len];
        // bit `i` of `accepts[k]`: piece `k` accepts the `i`-th character
        let mut accepts = [0u64; MAX_PIECES];
        let mut len = 0;
        for c in text.chars() {
            if len == MAX_CHARS {
                return None;
            }
            for (a, piece) in accepts.iter_mut().zip(pieces) {
                *a |= u64::from(piece.set.accepts(c)) << len;
            }
            len += 1;
        }
        // bit `p`: a match of the pieces so far can end at position `p`
        // (before the `p`-th character)
        let all = u64::MAX >> (MAX_CHARS - len);
        let mut reach = if self.start { 1 } else { all };
        for (piece, &accepts) in pieces.iter().zip(&accepts) {
            // `run`: the ends of `k` repetitions, for k = 0, 1, 2, …
            let mut run = reach;
            let mut out = if piece.min == 0 { reach } else { 0 };
            let mut k = 0;
            while piece.max.is_none_or(|m| k < m) {
                k += 1;
                run = (run & accepts) << 1;
                if run == 0 {
                    break;
                }
                if k >= piece.min {
                    let before = out;
                    out |= run;
                    // unbounded: nothing new now, nothing new later
                    if piece.max.is_none() && out == before {
                        break;
                    }
                }
            }
            reach = out;
            if reach == 0 {
                return Some(false);
            }
        }
        Some(if self.end {
            reach & (1 << len) != 0
        } else {
            reach != 0
        })
    }
}

/// The byte at `at` of the body `b[..to]`.
const fn get(b: &[u8], at: usize, to: usize) -> Option<u8> {
    if at < to { Some(b[at]) } else { None }
}

/// The piece at `at` of a pattern's body (`b[..to]`), and where the next begins.
const fn piece(b: &[u8], at: usize, to: usize) -> Option<(Piece, usize)> {
    let (set, mut at) = match get(b, at, to) {
        Some(b'\\') => match get(b, at + 1, to) {
            Some(e) => match escape(e) {
                Some(set) => (set, at + 2),
                None => return None,
            },
            None => return None,
        },
        Some(b'[') => {
            let negated = matches!(get(b, at + 1, to), Some(b'^'));
            let from = at + 1 + negated as usize;
            match class(b, from, to) {
                Some((set, close)) => (if negated { set.negate() } else { set }, close + 1),
                None => return None,
            }
        }
        Some(c) if plain(c) => (Set::char(c), at + 1),
        _ => return None,
    };
    let (min, max) = match get(b, at, to) {
        Some(b'?') => (0, Some(1)),
        Some(b'*') => (0, None),
        Some(b'+') => (1, None),
        Some(b'{') => {
            let mut close = at + 1;
            while close < to && b[close] != b'}' {
                close += 1;
            }
            if close == to {
                return None;
            }
            let mut comma = at + 1;
            while comma < close && b[comma] != b',' {
                comma += 1;
            }
            let (min, max) = if comma == close {
                match count(b, at + 1, close) {
                    Some(n) => (n, Some(n)),
                    None => return None,
                }
            } else {
                let Some(min) = count(b, at + 1, comma) else {
                    return None;
                };
                if comma + 1 == close {
                    (min, None)
                } else {
                    match count(b, comma + 1, close) {
                        Some(max) => (min, Some(max)),
                        None => return None,
                    }
                }
            };
            if let Some(m) = max
                && m < min
            {
                return None;
            }
            at = close;
            (min, max)
        }
        _ => {
            return Some((
                Piece {
                    set,
                    min: 1,
                    max: Some(1),
                },
                at,
            ));
        }
    };
    at += 1;
    // lazy, or a quantifier of a quantifier: left to regex-lite
    if matches!(get(b, at, to), Some(b'?' | b'*' | b'+' | b'{')) {
        return None;
    }
    Some((Piece { set, min, max }, at))
}

/// An item of a class at `at`: its set, the character (`None` for a Perl
/// class), and where the next item begins.
const fn item(b: &[u8], at: usize, to: usize) -> Option<(Set, Option<u8>, usize)> {
    match get(b, at, to) {
        Some(b'\\') => {
            let Some(e) = get(b, at + 1, to) else {
                return None;
            };
            let Some(set) = escape(e) else {
                return None;
            };
            let c = if matches!(e, b'd' | b'w' | b's' | b'D' | b'W' | b'S') {
                None
            } else {
                Some(e)
            };
            Some((set, c, at + 2))
        }
        Some(c) if plain_in_class(c) => Some((Set::char(c), Some(c), at + 1)),
        _ => None,
    }
}

/// A class's inside from `at` (after `[` and `^`), when it is of the simple
/// shape (not empty; plain or escaped characters, ranges between two
/// characters in order, Perl classes): its set, and where its `]` is.
const fn class(b: &[u8], mut at: usize, to: usize) -> Option<(Set, usize)> {
    let first = at;
    let mut set = Set::EMPTY;
    loop {
        match get(b, at, to) {
            None => return None,
            Some(b']') if at > first => return Some((set, at)),
            Some(_) => {
                let Some((one, lo, next)) = item(b, at, to) else {
                    return None;
                };
                at = next;
                if matches!(get(b, at, to), Some(b'-')) {
                    let Some((_, hi, next)) = item(b, at + 1, to) else {
                        return None;
                    };
                    match (lo, hi) {
                        (Some(lo), Some(hi)) if lo <= hi => set = set.union(Set::range(lo, hi)),
                        _ => return None,
                    }
                    at = next;
                    // `a-c-e`: left to regex-lite
                    if matches!(get(b, at, to), Some(b'-')) {
                        return None;
                    }
                } else {
                    set = set.union(one);
                }
            }
        }
    }
}

/// Characters that stand for themselves outside a class.
const fn plain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'@' | b',' | b':' | b'/' | b'=' | b' ')
}

/// Characters that stand for themselves inside a class, unescaped.
const fn plain_in_class(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'@' | b' ')
}

/// The set `\e` stands for: a Perl class, or ASCII punctuation as itself.
const fn escape(e: u8) -> Option<Set> {
    let digits = Set::range(b'0', b'9');
    // `[\t\n\v\f\r ]`
    let space = Set::range(0x09, 0x0D).union(Set::char(b' '));
    let word = digits
        .union(Set::range(b'A', b'Z'))
        .union(Set::range(b'a', b'z'))
        .union(Set::char(b'_'));
    match e {
        b'd' => Some(digits),
        b'D' => Some(digits.negate()),
        b's' => Some(space),
        b'S' => Some(space.negate()),
        b'w' => Some(word),
        b'W' => Some(word.negate()),
        e if e.is_ascii_punctuation() && e != b'<' && e != b'>' => Some(Set::char(e)),
        _ => None,
    }
}

/// A repetition count: the decimal digits `b[from..to]`, at most [`MAX_COUNT`].
const fn count(b: &[u8], from: usize, to: usize) -> Option<u32> {
    if from == to || to - from > 3 {
        return None;
    }
    let mut n = 0u32;
    let mut at = from;
    while at < to {
        if !b[at].is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b[at] - b'0') as u32;
        at += 1;
    }
    if n <= MAX_COUNT { Some(n) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read when compiled, as a generated check table reads it.
    const PHONE: Pattern = Pattern::new(r"^\+?[0-9]{6,15}$");
    const GROUPED: Pattern = Pattern::new(r"^(ab|cd)+$");

    #[test]
    fn a_check_tables_pattern_is_read_when_compiled() {
        assert!(
            PHONE.simple.is_some(),
            "the simple shape is read by `const fn`"
        );
        assert!(GROUPED.simple.is_none(), "groups are left to regex-lite");
        assert_eq!(PHONE.as_str(), r"^\+?[0-9]{6,15}$");
        for (pattern, text) in [
            (PHONE, "+33612345678"),
            (PHONE, "0612345678"),
            (PHONE, "12345"),
            (PHONE, "+3361234567890123"),
            (PHONE, "06 12 34 56 78"),
            (GROUPED, "abcdab"),
            (GROUPED, "abc"),
        ] {
            let regex = regex_lite::Regex::new(pattern.as_str()).unwrap();
            assert_eq!(
                pattern.is_match(text),
                Ok(regex.is_match(text)),
                "{} on {text:?}",
                pattern.as_str()
            );
        }
        let broken = Pattern::new("(");
        assert!(broken.is_match("x").is_err());
    }

    /// A small deterministic generator (xorshift), for reproducible cases.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const ALPHABET: &[char] = &[
        'a', 'b', 'c', 'z', 'A', 'Z', '0', '1', '5', '9', '+', '-', '.', '_', ' ', '\n', '\t',
        '\x0B', '\x0C', '\r', '@', 'é', 'β', '💩', '[', ']', '^', '$', '\\', '/', ':', '#',
    ];

    fn haystacks(rng: &mut Rng, pattern: &str) -> Vec<String> {
        let from_pattern: Vec<char> = pattern.chars().collect();
        let mut out = vec![String::new()];
        for round in 0..400 {
            // mostly short strings, some around the longest read here
            let len = if round % 20 == 0 {
                56 + rng.below(16)
            } else {
                rng.below(20)
            };
            let s: String = (0..len)
                .map(|_| {
                    if rng.below(3) == 0 && !from_pattern.is_empty() {
                        from_pattern[rng.below(from_pattern.len())]
                    } else {
                        ALPHABET[rng.below(ALPHABET.len())]
                    }
                })
                .collect();
            out.push(s);
        }
        out
    }

    /// Whether `pattern` is read here; if so, it answers as regex-lite on
    /// many strings, and regex-lite accepts the pattern.
    fn agree(pattern: &str, extra: &[&str]) -> bool {
        let Some(simple) = Simple::new(pattern) else {
            return false;
        };
        let regex = regex_lite::Regex::new(pattern)
            .unwrap_or_else(|e| panic!("{pattern:?} is read here but refused by regex-lite: {e}"));
        let mut rng = Rng(0x5EED ^ (pattern.len() as u64) << 7 ^ 0x9E37_79B9);
        let mut cases = haystacks(&mut rng, pattern);
        cases.extend(extra.iter().map(|s| (*s).to_owned()));
        for s in &cases {
            match simple.is_match(s) {
                Some(m) => assert_eq!(m, regex.is_match(s), "pattern {pattern:?} on {s:?}"),
                None => assert!(s.chars().count() > MAX_CHARS, "{pattern:?} on {s:?}"),
            }
        }
        true
    }

    #[test]
    fn simple_patterns_match_as_regex_lite() {
        let patterns: &[(&str, &[&str])] = &[
            (
                r"^\+?[0-9]{6,15}$",
                &[
                    "0612345678",
                    "+33612345678",
                    "12345",
                    "123456",
                    "123456789012345",
                    "1234567890123456",
                    "+",
                    "++123456",
                    "061234567\n",
                    "٠٦١٢٣٤٥٦٧٨",
                ],
            ),
            (
                r"^[A-HJ-NPR-Z0-9]{17}$",
                &["VR1AB12C3D4567890", "VR1AB12C3D456789O"],
            ),
            (r"^[0-9]{4}$", &["1234", "12345", "123"]),
            (
                r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
                &["a@b.fr", "a b@c.fr", "a@b.c"],
            ),
            (r"abc", &["xabcx", "ab"]),
            (r"", &["", "x"]),
            (r"^$", &["", "\n"]),
            (r"^", &["x"]),
            (r"$", &["x"]),
            (r"a$", &["ba", "a\n", "ab"]),
            (r"^a", &["ab", "ba"]),
            (r"\$", &["$", "a"]),
            (r"a\$", &["a$", "a"]),
            (r"a\\$", &["a\\", "a\\$"]),
            (r"x{3}", &["xx", "xxx"]),
            (r"x{2,}y", &["xy", "xxxy"]),
            (r"^x{0,2}y$", &["y", "xxy", "xxxy"]),
            (r"^x{0}y$", &["y", "xy"]),
            (r"^a*b+c?$", &["b", "aabbc", "ac"]),
            (r"[^a-z]", &["abc", "abC", "é"]),
            (r"[\d\s]", &["a", " ", "1", "\x0B"]),
            (r"[\D]", &["1", "a"]),
            (r"[^\w]", &["a_", "a-"]),
            (r"\W+", &["ab", "a b"]),
            (r"\S\s\S", &["a b", "ab", "a\rb"]),
            (r"[\[\]\\\^\$]", &["[", "\\", "a", "^", "$"]),
            (r"\.\*\+\?\(\)", &[".*+?()"]),
            (r"\{\}\|\-\#\&\~", &["{}|-#&~"]),
            (
                r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}",
                &["0123abcd-ef01", "0123abcd-ef0"],
            ),
            (r"^[a-z0-9._+]+@[a-z0-9.]+$", &["a.b+c@d.e", "A@b"]),
            (r" +", &[" ", ""]),
            (r"^\d{2}:\d{2}$", &["12:30", "1:30"]),
            (r"^[\w.+]{1,100}$", &["a"]),
            (r"^a{100}$", &[]),
            (r"^[a]{1,100}$", &[]),
            (r"^[a-a]$", &["a", "b"]),
        ];
        for (pattern, extra) in patterns {
            assert!(agree(pattern, extra), "{pattern:?} is not read here");
        }
    }

    /// Random patterns of the simple shape, each checked on random strings.
    #[test]
    fn random_simple_patterns_match_as_regex_lite() {
        let atoms = [
            "a",
            "b",
            "0",
            "_",
            "-",
            "@",
            ",",
            ":",
            "/",
            "=",
            " ",
            "\\d",
            "\\s",
            "\\w",
            "\\D",
            "\\S",
            "\\W",
            "\\+",
            "\\.",
            "\\\\",
            "\\$",
            "\\^",
            "\\[",
            "\\]",
            "\\-",
            "[a-c]",
            "[^b0]",
            "[\\d_]",
            "[^\\s]",
            "[a-z0-9._+]",
            "[ab-]",
            "[A-Z\\-]",
            "[+.@ ]",
        ];
        let quantifiers = [
            "", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "{2,}", "{0,1}", "{0}", "{3,3}",
        ];
        let mut rng = Rng(0x00DE_C0DE_5EED_u64);
        let mut read = 0;
        for _ in 0..400 {
            let mut pattern = String::new();
            if rng.below(2) == 0 {
                pattern.push('^');
            }
            for _ in 0..rng.below(5) {
                pattern.push_str(atoms[rng.below(atoms.len())]);
                pattern.push_str(quantifiers[rng.below(quantifiers.len())]);
            }
            if rng.below(2) == 0 {
                pattern.push('$');
            }
            // `[ab-]` ends a class with `-`: not read here, left to regex-lite
            if agree(&pattern, &[]) {
                read += 1;
            }
        }
        assert!(read > 300, "{read} of 400 random patterns read here");
    }

    #[test]
    fn every_punctuation_escape_is_regex_lites() {
        for c in (0u8..128).filter(u8::is_ascii_punctuation) {
            let pattern = format!("^\\{}$", char::from(c));
            let read = agree(&pattern, &[&char::from(c).to_string()]);
            assert_eq!(read, c != b'<' && c != b'>', "{pattern}");
        }
    }

    #[test]
    fn other_patterns_are_left_to_regex_lite() {
        for pattern in [
            r"(?i)abc",
            r"(a|b)",
            r"a|b",
            r"a.b",
            r"\bword\b",
            r"[[:alpha:]]+",
            r"\x41",
            r"\u{41}",
            r"[]a]",
            r"[a-]",
            r"[-a]",
            r"[a-c-e]",
            r"[z-a]",
            r"[a&&b]",
            r"[a^]",
            r"[a$]",
            r"a{1000}",
            r"a{101}",
            r"a{,3}",
            r"a{ 2}",
            r"a{2}{3}",
            r"a**",
            r"a*?",
            r"a^b",
            r"a$b",
            r"é",
            r"\t",
            r"\<",
            r"#",
            r"{2}",
            r"*a",
            r"\",
            r"[a",
            r"a{2",
        ] {
            assert!(Simple::new(pattern).is_none(), "{pattern:?}");
        }
        assert_eq!(matches(r"(?i)^ab$", "AB"), Ok(true));
        assert_eq!(matches(r"(?i)^ab$", "abc"), Ok(false));
        assert_eq!(matches(r"\bab\b", "x ab y"), Ok(true));
        assert_eq!(matches(r"\bab\b", "xaby"), Ok(false));
        // more pieces than read here: regex-lite answers
        assert!(Simple::new("abcdefghi").is_none());
        assert_eq!(matches("abcdefghi", "xabcdefghix"), Ok(true));
        assert_eq!(matches("abcdefghi", "abcdefgh"), Ok(false));
        // a string too long for the bitset: regex-lite answers
        let long = "1".repeat(200);
        assert_eq!(matches(r"^\d+$", &long), Ok(true));
        assert_eq!(matches(r"^\d{6,15}$", &long), Ok(false));
    }

    #[test]
    fn invalid_patterns_keep_regex_lites_error() {
        let err = matches("(", "x").unwrap_err();
        assert!(
            err.starts_with("the pattern `(` is not a valid regex: "),
            "{err}"
        );
        // and again: an invalid pattern is not cached as valid
        assert!(matches("(", "x").is_err());
        assert_eq!(matches(r"^\d+$", "123"), Ok(true));
        assert_eq!(matches(r"^\d+$", "12a"), Ok(false));
    }
}
