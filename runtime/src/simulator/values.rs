//! Values made up from the contract's types, deterministic from a seed.
//!
//! The random numbers are SplitMix64 (Steele, Lea and Flood, 2014): a few
//! lines, the same on every platform and in every release, which a crate's
//! generator would not promise.

use serde_json::{Map, Number, Value};

use crate::contract::{Bounds, Contract, Field, Shape, Text, Ty, TyKind};

/// Deeper than this, optional fields are left out and arrays hold their fewest items.
const FULL_DEPTH: usize = 3;
/// Deeper than this, nothing more is made up (`null`).
const MAX_DEPTH: usize = 16;

/// One SplitMix64 step: a bijection of `u64`, well mixed.
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of `text`: a stable hash, to give each operation its own numbers.
pub(crate) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// The stream of `seed` for `salt` (an operation's `api#name`).
    pub(crate) fn new(seed: u64, salt: &str) -> Self {
        Rng(mix(seed) ^ fnv(salt))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`0` when `n` is `0`).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// An integer in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        let pick = u128::from(self.next_u64()) % span;
        (i128::from(lo) + pick as i128) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// `n` characters of `alphabet`.
    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| char::from(*self.pick(alphabet).unwrap_or(&b'x')))
            .collect()
    }
}

/// A value of `ty`: the spec's examples where its fields have some, made up
/// from the type elsewhere (enumeration members, bounds, lengths, formats).
pub(crate) fn value(contract: &Contract, ty: &Ty, rng: &mut Rng, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty.kind {
        TyKind::String(text) => Value::String(string(&text, rng)),
        TyKind::Integer(bounds) => integer(&bounds, rng),
        TyKind::Number(bounds) => number(&bounds, rng),
        TyKind::Boolean => Value::Bool(rng.below(2) == 1),
        TyKind::Any => Value::Object(Map::new()),
        TyKind::Array {
            items,
            min_items,
            max_items,
        } => {
            let min = min_items.unwrap_or(0);
            let max = max_items.unwrap_or(min.max(1) + 2).max(min);
            let count = if depth >= FULL_DEPTH {
                min
            } else {
                let lo = min.max(1).min(max);
                let hi = max.min(lo + 2);
                lo + rng.below(hi - lo + 1)
            };
            Value::Array(
                (0..count.min(64))
                    .map(|_| value(contract, items, rng, depth + 1))
                    .collect(),
            )
        }
        TyKind::Type(i) => match contract.types.get(i).map(|t| t.shape) {
            Some(Shape::Struct { fields, .. }) => {
                Value::Object(object(contract, fields, rng, depth))
            }
            Some(Shape::Enum(members)) => rng.pick(members).map_or(Value::Null, |m| m.to_json()),
            Some(Shape::Alias(inner)) => value(contract, &inner, rng, depth + 1),
            None => Value::Null,
        },
    }
}

/// An object of `fields`: each field's example where it has one; required
/// fields, and optional ones near the top, made up from their type.
pub(crate) fn object(
    contract: &Contract,
    fields: &[Field],
    rng: &mut Rng,
    depth: usize,
) -> Map<String, Value> {
    let mut out = Map::new();
    for field in fields {
        let example = field
            .example
            .and_then(|text| serde_json::from_str::<Value>(text).ok());
        let made = match example {
            Some(example) => Some(example),
            None if field.required || depth < FULL_DEPTH => {
                Some(value(contract, &field.ty, rng, depth + 1))
            }
            None => None,
        };
        if let Some(v) = made {
            out.insert(field.wire.to_owned(), v);
        }
    }
    out
}

fn integer(bounds: &Bounds, rng: &mut Rng) -> Value {
    if let Some(member) = rng.pick(bounds.values) {
        return member.to_json();
    }
    let finite = |v: Option<f64>| v.filter(|f| f.is_finite() && f.abs() < 9.0e15);
    let (min, max) = (finite(bounds.minimum), finite(bounds.maximum));
    let lo = match (min, max) {
        (Some(min), _) => min.ceil() as i64,
        (None, Some(max)) if max < 0.0 => max.floor() as i64 - 100,
        _ => 0,
    };
    let hi = max.map_or(lo + 100, |m| m.floor() as i64);
    Value::from(rng.between(lo, hi.max(lo)))
}

fn number(bounds: &Bounds, rng: &mut Rng) -> Value {
    if let Some(member) = rng.pick(bounds.values) {
        return member.to_json();
    }
    let finite = |v: Option<f64>| v.filter(|f| f.is_finite());
    let (min, max) = (finite(bounds.minimum), finite(bounds.maximum));
    let lo = match (min, max) {
        (Some(min), _) => min,
        (None, Some(max)) if max < 0.0 => max - 100.0,
        _ => 0.0,
    };
    let hi = max.unwrap_or(lo + 100.0).max(lo);
    let fraction = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut v = ((lo + (hi - lo) * fraction) * 100.0).round() / 100.0;
    if !(lo..=hi).contains(&v) {
        v = lo;
    }
    Number::from_f64(v).map_or(Value::from(0), Value::Number)
}

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A string in the text's format, of a length it allows, matching its
/// pattern where one of a few tries does.
fn string(text: &Text, rng: &mut Rng) -> String {
    let min = text.min_length.unwrap_or(0).min(256) as usize;
    let max = text.max_length.map_or(usize::MAX, |m| m as usize).max(min);
    let sized = |s: String| -> String {
        let n = s.chars().count();
        if n < min {
            let mut s = s;
            s.extend(std::iter::repeat_n('x', min - n));
            s
        } else if n > max {
            s.chars().take(max).collect()
        } else {
            s
        }
    };
    let first = sized(formatted(text.format, rng));
    let Some(pattern) = text.pattern else {
        return first;
    };
    if crate::contract::matches(pattern, &first) {
        return first;
    }
    if let Some(made) = from_pattern(pattern, rng)
        .filter(|s| (min..=max).contains(&s.chars().count()))
        .filter(|s| crate::contract::matches(pattern, s))
    {
        return made;
    }
    let length = min.max(8).min(max);
    let tries = [
        rng.chars(DIGITS, length),
        rng.chars(LOWER, length),
        rng.chars(ALNUM, length),
        rng.chars(HEX, length),
        format!("+{}", rng.chars(DIGITS, length.saturating_sub(1).max(1))),
    ];
    tries
        .into_iter()
        .map(sized)
        .find(|s| crate::contract::matches(pattern, s))
        .unwrap_or(first)
}

/// A string that a simple pattern matches: a sequence of literals, classes
/// (`[A-Z0-9_]`, `\d`, `\w`, `.`) and quantifiers (`?`, `*`, `+`, `{n}`,
/// `{n,m}`), anchored or not. `None` for anything else (groups, alternatives,
/// negated classes): the caller then tries other strings.
fn from_pattern(pattern: &str, rng: &mut Rng) -> Option<String> {
    let mut chars = pattern.chars().peekable();
    let mut out = String::new();
    if chars.peek() == Some(&'^') {
        chars.next();
    }
    while let Some(c) = chars.next() {
        let atom: Vec<char> = match c {
            '$' if chars.peek().is_none() => break,
            '[' => {
                let mut set = Vec::new();
                if chars.peek() == Some(&'^') {
                    return None;
                }
                loop {
                    let c = chars.next()?;
                    match c {
                        ']' => break,
                        '\\' => set.extend(escape(chars.next()?)?),
                        _ if chars.peek() == Some(&'-') => {
                            chars.next();
                            match chars.next()? {
                                ']' => {
                                    set.extend([c, '-']);
                                    break;
                                }
                                end if end >= c && (end as u32 - c as u32) < 512 => {
                                    set.extend(c..=end)
                                }
                                _ => return None,
                            }
                        }
                        _ => set.push(c),
                    }
                }
                set
            }
            '\\' => escape(chars.next()?)?,
            '.' => LOWER.iter().map(|b| char::from(*b)).collect(),
            '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '$' => return None,
            other => vec![other],
        };
        let (lo, hi) = match chars.peek() {
            Some('?') => (0, 1),
            Some('*') => (0, 3),
            Some('+') => (1, 3),
            Some('{') => {
                chars.next();
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let (lo, hi) = match spec.split_once(',') {
                    Some((lo, "")) => (lo.parse().ok()?, lo.parse::<i64>().ok()? + 3),
                    Some((lo, hi)) => (lo.parse().ok()?, hi.parse().ok()?),
                    None => (spec.parse().ok()?, spec.parse().ok()?),
                };
                if hi < lo || hi > 256 {
                    return None;
                }
                // the quantifier was read: nothing to skip below
                let n = rng.between(lo, hi);
                for _ in 0..n {
                    out.push(*rng.pick(&atom)?);
                }
                continue;
            }
            _ => (1, 1),
        };
        if (lo, hi) != (1, 1) {
            chars.next();
        }
        for _ in 0..rng.between(lo, hi) {
            out.push(*rng.pick(&atom)?);
        }
    }
    Some(out)
}

/// The characters of `\c` in a pattern.
fn escape(c: char) -> Option<Vec<char>> {
    match c {
        'd' => Some(DIGITS.iter().map(|b| char::from(*b)).collect()),
        'w' => Some(ALNUM.iter().chain(b"_").map(|b| char::from(*b)).collect()),
        's' => Some(vec![' ']),
        c if !c.is_alphanumeric() => Some(vec![c]),
        _ => None,
    }
}

fn formatted(format: Option<&str>, rng: &mut Rng) -> String {
    let n = |rng: &mut Rng, lo: i64, hi: i64| rng.between(lo, hi);
    match format {
        Some("date-time") => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            n(rng, 2020, 2025),
            n(rng, 1, 12),
            n(rng, 1, 28),
            n(rng, 0, 23),
            n(rng, 0, 59),
            n(rng, 0, 59)
        ),
        Some("date") => format!(
            "{:04}-{:02}-{:02}",
            n(rng, 2020, 2025),
            n(rng, 1, 12),
            n(rng, 1, 28)
        ),
        Some("time") => format!(
            "{:02}:{:02}:{:02}",
            n(rng, 0, 23),
            n(rng, 0, 59),
            n(rng, 0, 59)
        ),
        Some("duration") => format!("PT{}H{}M", n(rng, 0, 23), n(rng, 0, 59)),
        Some("email") => format!("user{}@example.com", n(rng, 1, 9999)),
        Some("uri") => format!("https://example.com/{}", rng.chars(LOWER, 8)),
        Some("uuid") => format!(
            "{}-{}-4{}-a{}-{}",
            rng.chars(HEX, 8),
            rng.chars(HEX, 4),
            rng.chars(HEX, 3),
            rng.chars(HEX, 3),
            rng.chars(HEX, 12)
        ),
        Some("phone") => format!("06{}", rng.chars(DIGITS, 8)),
        Some("language") => rng
            .pick(&["en", "fr", "de", "es", "it"])
            .copied()
            .unwrap_or("en")
            .to_owned(),
        Some("hostname") => format!("host{}.example.com", n(rng, 1, 999)),
        Some("ipv4") => format!(
            "192.0.2.{}",
            n(rng, 1, 254) // TEST-NET-1
        ),
        _ => rng.chars(LOWER, 8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Contract, TypeEntry};
    use crate::operation::Const;

    fn member(c: Const) -> Value {
        c.to_json()
    }

    static TYPES: &[TypeEntry] = &[TypeEntry {
        name: "Kind",
        shape: Shape::Enum(&[Const::Str("smoke"), Const::Str("co2")]),
    }];
    static CONTRACT: Contract = Contract {
        sdk: "test",
        version: "1",
        errors: &[],
        types: TYPES,
        operations: &[],
    };

    #[test]
    fn the_same_seed_makes_the_same_values() {
        let ty = Ty {
            kind: TyKind::String(Text {
                format: Some("date-time"),
                ..Text::default()
            }),
            nullable: false,
        };
        let a = value(&CONTRACT, &ty, &mut Rng::new(7, "x"), 0);
        let b = value(&CONTRACT, &ty, &mut Rng::new(7, "x"), 0);
        let c = value(&CONTRACT, &ty, &mut Rng::new(8, "x"), 0);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(crate::contract::format_holds(
            "date-time",
            a.as_str().unwrap()
        ));
    }

    #[test]
    fn values_keep_to_bounds_members_lengths_and_patterns() {
        let mut rng = Rng::new(1, "bounds");
        for _ in 0..200 {
            let int = integer(
                &Bounds {
                    minimum: Some(-3.5),
                    maximum: Some(2.0),
                    values: &[],
                },
                &mut rng,
            );
            assert!((-3..=2).contains(&int.as_i64().unwrap()), "{int}");
            let num = number(
                &Bounds {
                    minimum: Some(0.5),
                    maximum: Some(0.75),
                    values: &[],
                },
                &mut rng,
            );
            assert!((0.5..=0.75).contains(&num.as_f64().unwrap()), "{num}");
            let kind = value(
                &CONTRACT,
                &Ty {
                    kind: TyKind::Type(0),
                    nullable: false,
                },
                &mut rng,
                0,
            );
            assert!(kind == member(Const::Str("smoke")) || kind == member(Const::Str("co2")));
            let s = string(
                &Text {
                    pattern: Some("^SN[0-9]{8}$"),
                    min_length: Some(10),
                    max_length: Some(10),
                    format: None,
                },
                &mut rng,
            );
            assert!(crate::contract::matches("^SN[0-9]{8}$", &s), "{s}");
            let serial = string(
                &Text {
                    pattern: Some("^[A-Z]{2}[0-9]{8}$"),
                    ..Text::default()
                },
                &mut rng,
            );
            assert!(
                crate::contract::matches("^[A-Z]{2}[0-9]{8}$", &serial),
                "{serial}"
            );
            let phone = string(
                &Text {
                    pattern: Some("^\\+?[0-9]{6,15}$"),
                    format: Some("phone"),
                    ..Text::default()
                },
                &mut rng,
            );
            assert!(
                crate::contract::matches("^\\+?[0-9]{6,15}$", &phone),
                "{phone}"
            );
        }
    }
}
