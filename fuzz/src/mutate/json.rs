//! Messages: JSON-aware mutations of a seed message (the envelope, the
//! payload's values by kind, keys and their near misses, labels and their
//! placeholders), then text-level ones.

use serde_json::{Map, Value};

use super::dict;
use super::text::near_miss;
use crate::input::MessageInput;
use crate::rng::Rng;

/// Strings worth sending: enumeration members, names, labels of the spec.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// String values.
    pub strings: Vec<String>,
    /// Object keys.
    pub keys: Vec<String>,
    /// Error codes.
    pub codes: Vec<i64>,
    /// Labels of the catalogue.
    pub labels: Vec<String>,
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-1",
    "-0",
    "1e308",
    "1e999",
    "-1e999",
    "1.5",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1e-400",
    "\"SUCCEEDED\"",
    "\"FAILED\"",
    "\"RESULT\"",
    "\"error\"",
    "\"result\"",
    "\"code\"",
    "\\u0000",
    "\\ud800",
    "\\udc00",
    "\\ud83d\\ude00",
    "\u{10ffff}",
    "\u{feff}",
    "0",
    "00",
    "01",
    ".5",
    "1.",
    "1e",
    "\\",
    "\\x",
    "\t",
    "\n",
    "\r",
    "/*",
    "NaN",
    "Infinity",
];

fn number(rng: &mut Rng) -> Value {
    let v: Value = match rng.below(14) {
        0 => i64::MAX.into(),
        1 => i64::MIN.into(),
        2 => u64::MAX.into(),
        3 => (i64::MAX as u64 + 1).into(),
        4 => (-1).into(),
        5 => 0.into(),
        6 => 1.5.into(),
        7 => f64::MAX.into(),
        8 => (-0.0f64).into(),
        9 => 5e-324.into(),
        10 => 1e20.into(),
        11 => (i32::MAX as i64 + 1).into(),
        12 => 2001.0.into(),
        _ => (rng.next_u64() as i64 % 100_000).into(),
    };
    v
}

fn string(rng: &mut Rng, words: &Words, own: Option<&str>) -> String {
    match rng.below(8) {
        0 | 1 if !words.strings.is_empty() => rng.pick(&words.strings).clone(),
        2 => own.map_or_else(|| "x".into(), |o| near_miss(rng, o)),
        3 => (*rng.pick(dict::TEXTS)).to_owned(),
        4 => (*rng.pick(dict::NAMES)).to_owned(),
        5 => "x".repeat(*rng.pick(&[1000, 65_536])),
        6 => (*rng.pick(&[
            "",
            " ",
            "SUCCEEDED",
            "FAILED",
            "RESULT",
            "Unlisted",
            "unlisted",
            "null",
            "0",
            "-1",
            "true",
        ]))
        .to_owned(),
        _ => own.map_or_else(String::new, |o| format!("{o}{}", *rng.pick(dict::FILLS))),
    }
}

fn key(rng: &mut Rng, words: &Words, own: Option<&str>) -> String {
    match rng.below(5) {
        0 | 1 if !words.keys.is_empty() => rng.pick(&words.keys).clone(),
        2 => own.map_or_else(|| "x".into(), |o| near_miss(rng, o)),
        3 => (*rng.pick(&[
            "transactionId",
            "status",
            "result",
            "error",
            "code",
            "label",
            "subCode",
            "additional",
            "type",
            "action",
        ]))
        .to_owned(),
        _ => (*rng.pick(dict::NAMES)).to_owned(),
    }
}

/// A value of any kind, small.
fn any(rng: &mut Rng, words: &Words) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(1, 2)),
        2 | 3 => number(rng),
        4 | 5 => Value::String(string(rng, words, None)),
        6 => Value::Array(vec![]),
        _ => Value::Object(Map::new()),
    }
}

/// Picks the path of one node of `v`, each as likely (reservoir sampling:
/// a path is copied only when it is picked, so deep values stay cheap).
fn pick_path(
    rng: &mut Rng,
    v: &Value,
    at: &mut Vec<PathStep>,
    seen: &mut u64,
    out: &mut Vec<PathStep>,
) {
    *seen += 1;
    if rng.below(*seen as usize) == 0 {
        *out = at.clone();
    }
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(PathStep::Index(i));
                pick_path(rng, item, at, seen, out);
                at.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                at.push(PathStep::Key(k.clone()));
                pick_path(rng, item, at, seen, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Key(k) => cur.get_mut(k.as_str())?,
            PathStep::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn fill_label(rng: &mut Rng, label: &str) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        out.push_str(&rest[..open]);
        if rng.chance(2, 3) {
            out.push_str(rng.word(dict::FILLS));
        } else {
            out.push_str(&rest[open..open + close + 1]);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if rng.chance(1, 4) {
        let cut = rng.below(out.len() + 1);
        let cut = (0..=cut)
            .rev()
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(0);
        out.truncate(cut);
    }
    out
}

/// One mutation of the message `v`.
fn mutate_value(rng: &mut Rng, v: &mut Value, words: &Words) {
    // the envelope
    if rng.chance(1, 3)
        && let Value::Object(top) = v
    {
        match rng.below(9) {
            0 => {
                let k = *rng.pick(&["transactionId", "status", "result", "error"]);
                top.shift_remove(k);
            }
            1 => {
                let s = rng.pick(&[
                    "SUCCEEDED",
                    "FAILED",
                    "RESULT",
                    "succeeded",
                    "SUCCEEDED ",
                    "",
                    "Failed",
                    "RESULTS",
                ]);
                top.insert("status".into(), (*s).into());
            }
            2 => {
                let t = any(rng, words);
                top.insert("transactionId".into(), t);
            }
            3 => {
                let result = top.shift_remove("result");
                let error = top.shift_remove("error");
                if let Some(r) = result {
                    top.insert("error".into(), r);
                }
                if let Some(e) = error {
                    top.insert("result".into(), e);
                }
            }
            4 => {
                let code = if !words.codes.is_empty() && rng.chance(2, 3) {
                    Value::from(*rng.pick(&words.codes))
                } else {
                    number(rng)
                };
                let label = if words.labels.is_empty() {
                    String::new()
                } else {
                    {
                        let template = rng.pick(&words.labels).clone();
                        fill_label(rng, &template)
                    }
                };
                let mut e = Map::new();
                e.insert("code".into(), code);
                e.insert("label".into(), label.into());
                if rng.chance(1, 3) {
                    let sub = match rng.below(4) {
                        0 => Value::Array(vec![number(rng), Value::String("x".into())]),
                        1 => Value::String("x".into()),
                        2 => Value::Null,
                        _ => Value::Array(vec![Value::Object(Map::new()); 3]),
                    };
                    e.insert("subCode".into(), sub);
                }
                top.insert("error".into(), Value::Object(e));
            }
            5 => {
                if let Some(Value::Object(e)) = top.get_mut("error")
                    && let Some(Value::String(label)) = e.get("label").cloned()
                {
                    e.insert("label".into(), fill_label(rng, &label).into());
                }
            }
            6 => {
                let k = key(rng, words, None);
                let val = any(rng, words);
                top.insert(k, val);
            }
            7 => {
                let r = match rng.below(4) {
                    0 => Value::Null,
                    1 => Value::Object(Map::new()),
                    2 => Value::Array(vec![]),
                    _ => any(rng, words),
                };
                top.insert("result".into(), r);
            }
            _ => {
                let c = top.get("result").cloned().unwrap_or(Value::Null);
                top.insert("result".into(), Value::Array(vec![c]));
            }
        }
        return;
    }
    // any node
    let mut path = Vec::new();
    pick_path(rng, v, &mut Vec::new(), &mut 0, &mut path);
    let Some(n) = node(v, &path) else { return };
    match rng.below(10) {
        0 | 1 => *n = any(rng, words),
        2 => *n = number(rng),
        3 => {
            let own = n.as_str().map(str::to_owned);
            *n = Value::String(string(rng, words, own.as_deref()));
        }
        4 => match n {
            Value::Object(map) if !map.is_empty() => {
                let k = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                if rng.chance(1, 2) {
                    map.shift_remove(&k);
                } else if let Some(val) = map.shift_remove(&k) {
                    let new = key(rng, words, Some(&k));
                    map.insert(new, val);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                if rng.chance(1, 2) {
                    items.remove(i);
                } else {
                    let copy = items[i].clone();
                    items.insert(i, copy);
                }
            }
            _ => *n = Value::Array(vec![n.clone()]),
        },
        5 => {
            if let Value::Object(map) = n {
                let k = key(rng, words, None);
                let val = any(rng, words);
                map.insert(k, val);
            } else {
                let mut map = Map::new();
                map.insert(key(rng, words, None), n.clone());
                *n = Value::Object(map);
            }
        }
        6 => {
            // many copies, within the size of a message a facade could send
            let copy = n.clone();
            let size = copy.to_string().len().max(1);
            let times = (*rng.pick(&[2, 100, 10_000])).min(MAX_TEXT / size).max(1);
            *n = Value::Array(vec![copy; times]);
        }
        7 => {
            let mut deep = n.clone();
            for _ in 0..*rng.pick(&[2, 100, 127, 128, 129, 1000]) {
                deep = Value::Array(vec![deep]);
            }
            *n = deep;
        }
        8 => *n = Value::Bool(!n.as_bool().unwrap_or(false)),
        _ => {
            let old = n.clone();
            *n = match old {
                Value::Number(x) => Value::String(x.to_string()),
                Value::String(s) => s
                    .parse::<f64>()
                    .ok()
                    .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                    .unwrap_or(Value::Null),
                other => Value::String(other.to_string()),
            }
        }
    }
}

/// One text-level mutation, on characters (a message is text).
fn mutate_text(rng: &mut Rng, text: &mut String) {
    let mut chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    match rng.below(6) {
        0 if !chars.is_empty() => {
            let end = (at + rng.between(1, 8)).min(chars.len());
            chars.drain(at.min(end)..end);
        }
        1 | 2 => {
            let piece = *rng.pick(PIECES);
            for (i, c) in piece.chars().enumerate() {
                chars.insert(at + i, c);
            }
        }
        3 => {
            // a key twice: `"k":v` copied after itself
            let s: String = chars.iter().collect();
            if let Some(q) = s.match_indices("\":").map(|(i, _)| i).nth(rng.below(8)) {
                let start = s[..q].rfind('"').unwrap_or(0);
                let end = s[q..].find([',', '}']).map_or(s.len(), |e| q + e);
                let member = s[start..end].to_owned();
                let mut out = s.clone();
                out.insert_str(end, &format!(",{member}"));
                *text = out;
                return;
            }
        }
        4 => {
            let end = (at + rng.between(1, 16)).min(chars.len());
            let cut: Vec<char> = chars[at.min(end)..end].to_vec();
            let to = rng.below(chars.len() + 1);
            for (i, c) in cut.into_iter().enumerate() {
                chars.insert(to + i, c);
            }
        }
        _ => {
            // a number made extreme
            let s: String = chars.iter().collect();
            let digits: Vec<usize> = s
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            if !digits.is_empty() {
                let start = *rng.pick(&digits);
                let end = s[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(s.len(), |e| start + e);
                let new = match rng.below(8) {
                    0 => "9".repeat(400),
                    n => [
                        "1e400",
                        "-0",
                        "00",
                        "1.",
                        "18446744073709551616",
                        "1e-400",
                        "0.0000000000000000000001",
                    ][n - 1]
                        .to_owned(),
                };
                *text = format!("{}{new}{}", &s[..start], &s[end..]);
                return;
            }
        }
    }
    *text = chars.into_iter().collect();
}

/// The largest message made (in bytes): large enough for every limit of the
/// decoder, small enough to keep the run fast.
pub const MAX_TEXT: usize = 256 * 1024;

/// A new message input from `seeds`.
pub fn input(rng: &mut Rng, seeds: &[MessageInput], words: &Words) -> MessageInput {
    let mut input = rng.pick(seeds).clone();
    let structural = serde_json::from_str::<Value>(&input.text).ok();
    if let Some(mut value) = structural.filter(|_| rng.chance(7, 8)) {
        for _ in 0..rng.stack(4) {
            let before = value.clone();
            mutate_value(rng, &mut value, words);
            if value.to_string().len() > MAX_TEXT {
                value = before;
            }
        }
        input.text = value.to_string();
    }
    if rng.chance(1, 3) || input.text.is_empty() {
        for _ in 0..rng.stack(4) {
            mutate_text(rng, &mut input.text);
        }
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::MessageKind;

    #[test]
    fn messages_vary_and_repeat() {
        let seed = MessageInput {
            api: "pims.a".into(),
            verb: "get".into(),
            name: "b".into(),
            kind: MessageKind::Reply,
            text: r#"{"transactionId":"t","status":"FAILED","error":{"code":2101,"label":"Missing [PARAMETER] parameter"}}"#.into(),
        };
        let words = Words {
            strings: vec!["AlreadyEnrolled".into()],
            keys: vec!["status".into()],
            codes: vec![2101],
            labels: vec!["Missing [PARAMETER] parameter".into()],
        };
        let seeds = [seed.clone()];
        let mut distinct = std::collections::BTreeSet::new();
        for i in 0..200 {
            let a = input(&mut Rng::new(i), &seeds, &words);
            let b = input(&mut Rng::new(i), &seeds, &words);
            assert_eq!(a, b);
            distinct.insert(a.text);
        }
        assert!(distinct.len() > 120, "{} distinct of 200", distinct.len());
        assert!(fill_label(&mut Rng::new(1), "a [B] c").len() <= 40);
    }
}
