//! The one writer of spec YAML, shared by `import` and `new`: block style,
//! two-space indents, keys in the order given, scalars quoted only where YAML
//! would read them as something else (an unquoted `0612345678` would be a
//! number), and every character `check` refuses written as an escape.

use std::fmt::Write as _;

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Y {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number.
    Num(f64),
    /// A string (quoted when needed).
    Str(String),
    /// A list.
    Seq(Vec<Y>),
    /// A map, keys in order.
    Map(Vec<(String, Y)>),
}

impl Y {
    /// A string.
    pub fn s(text: impl Into<String>) -> Y {
        Y::Str(text.into())
    }

    /// An empty map.
    pub fn map() -> Y {
        Y::Map(Vec::new())
    }

    /// Appends `key: value` to a map (no effect on other values).
    pub fn put(&mut self, key: impl Into<String>, value: Y) {
        if let Y::Map(entries) = self {
            entries.push((key.into(), value));
        }
    }

    /// The value at `key` of a map.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Y> {
        match self {
            Y::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts JSON (examples, defaults).
    pub fn from_json(value: &serde_json::Value) -> Y {
        match value {
            serde_json::Value::Null => Y::Null,
            serde_json::Value::Bool(b) => Y::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Y::Int(i),
                None => Y::Num(n.as_f64().unwrap_or_default()),
            },
            serde_json::Value::String(s) => Y::Str(s.clone()),
            serde_json::Value::Array(items) => Y::Seq(items.iter().map(Y::from_json).collect()),
            serde_json::Value::Object(map) => Y::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Y::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Y::Seq(_) | Y::Map(_))
    }
}

/// The document `value` (a map) as YAML text, after `header` comment lines.
pub fn write(header: &[String], value: &Y) -> String {
    let mut out = String::new();
    for line in header {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {line}");
        }
    }
    match value {
        Y::Map(entries) => map_entries(&mut out, entries, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

fn map_entries(out: &mut String, entries: &[(String, Y)], indent: usize) {
    for (key, value) in entries {
        pad(out, indent);
        out.push_str(&key_text(key));
        out.push(':');
        value_after_key(out, value, indent);
    }
}

/// What follows `key:`: a scalar on the same line, or a block below.
fn value_after_key(out: &mut String, value: &Y, indent: usize) {
    match value {
        Y::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Y::Map(entries) => {
            out.push('\n');
            map_entries(out, entries, indent + 2);
        }
        Y::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Y::Seq(items) => nested_seq(out, items, indent),
        Y::Str(s) if s.contains('\n') => block_scalar(out, s, indent + 2),
        scalar_value => {
            out.push(' ');
            out.push_str(&scalar(scalar_value));
            out.push('\n');
        }
    }
}

/// A non-empty list after `key:` or `-`: `[a, b]` on the same line when short,
/// else one item a line below.
fn nested_seq(out: &mut String, items: &[Y], indent: usize) {
    match flow(items) {
        Some(text) => {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        }
        None => {
            out.push('\n');
            seq_items(out, items, indent + 2);
        }
    }
}

fn seq_items(out: &mut String, items: &[Y], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Y::Map(entries) if !entries.is_empty() => {
                // the first key on the dash's line, the others below it
                out.push(' ');
                let (first, rest) = entries
                    .split_first()
                    .map_or((None, &[][..]), |(f, r)| (Some(f), r));
                if let Some((key, value)) = first {
                    out.push_str(&key_text(key));
                    out.push(':');
                    value_after_key(out, value, indent + 2);
                }
                map_entries(out, rest, indent + 2);
            }
            Y::Seq(inner) if !inner.is_empty() => nested_seq(out, inner, indent),
            Y::Str(s) if s.contains('\n') => {
                out.push(' ');
                out.push_str(&double_quoted(s));
                out.push('\n');
            }
            other => {
                out.push(' ');
                out.push_str(&match other {
                    Y::Map(_) => "{}".to_owned(),
                    Y::Seq(_) => "[]".to_owned(),
                    s => scalar(s),
                });
                out.push('\n');
            }
        }
    }
}

/// `[a, b, c]` for a short list of scalars.
fn flow(items: &[Y]) -> Option<String> {
    if !items.iter().all(Y::is_scalar) {
        return None;
    }
    let parts: Vec<String> = items
        .iter()
        .map(|i| match i {
            Y::Str(s) if !plain_ok(s) || s.contains([',', '[', ']', '{', '}']) => double_quoted(s),
            other => scalar(other),
        })
        .collect();
    let text = format!("[{}]", parts.join(", "));
    (text.len() <= 100).then_some(text)
}

fn block_scalar(out: &mut String, s: &str, indent: usize) {
    let text = s.trim_end_matches('\n');
    let safe = !text.starts_with([' ', '\t'])
        && !text.lines().any(|l| l.ends_with([' ', '\t']))
        && !text.contains('\t');
    if !safe {
        out.push(' ');
        out.push_str(&double_quoted(s));
        out.push('\n');
        return;
    }
    out.push_str(" |-\n");
    for line in text.lines() {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn key_text(key: &str) -> String {
    if plain_ok(key) {
        key.to_owned()
    } else {
        double_quoted(key)
    }
}

fn scalar(value: &Y) -> String {
    match value {
        Y::Null => "null".to_owned(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Num(n) => {
            let text = n.to_string();
            if text.contains(['.', 'e', 'E']) || !n.is_finite() {
                text
            } else {
                format!("{text}.0")
            }
        }
        Y::Str(s) => {
            if plain_ok(s) {
                s.clone()
            } else {
                double_quoted(s)
            }
        }
        Y::Seq(_) => "[]".to_owned(),
        Y::Map(_) => "{}".to_owned(),
    }
}

/// Whether `s` can be written unquoted and read back as the same string.
pub fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s != s.trim() || s.contains(['\n', '\r', '\t']) {
        return false;
    }
    if s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ]) {
        return false;
    }
    if s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars()
            .any(|c| c.is_control() || crate::check::is_hidden_char(c))
    {
        return false;
    }
    !looks_like_other_type(s)
}

/// Whether YAML (1.1 or 1.2) would read `s` as null, a boolean or a number.
fn looks_like_other_type(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null"
            | "~"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
            | "<<"
    ) {
        return true;
    }
    let body = s.trim_start_matches(['+', '-']);
    if body.is_empty() {
        return false;
    }
    if body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        // numbers, octal-looking, hex, times (1:20), dates: quote them all
        return body.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(c, '.' | '_' | ':' | 'x' | 'o' | 'e' | 'E' | '+' | '-')
        });
    }
    false
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || crate::check::is_hidden_char(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn round_trip(value: &Y) -> serde_json::Value {
        let text = write(&[], value);
        yaml::parse(crate::source::FileId(0), &text)
            .unwrap_or_else(|d| panic!("{text}\n{d:?}"))
            .to_json()
    }

    #[test]
    fn strings_that_yaml_would_misread_are_quoted() {
        for s in [
            "0612345678",
            "true",
            "No",
            "null",
            "~",
            "1.5",
            "2.3",
            "-1",
            "0x1F",
            "12:30",
            "1e5",
            "",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#c",
            "- x",
            "[x]",
            "{x}",
            "*x",
            "&x",
            "!x",
            "|x",
            ">x",
            "'x",
            "\"x",
            "%x",
            "@x",
            "`x",
            "x:",
            "multi\nline",
            "tab\there",
            "<<",
            "yes",
            "2021-07-29T22:25:09.898Z",
        ] {
            let value = Y::Map(vec![("k".into(), Y::s(s)), (s.to_owned(), Y::Int(1))]);
            let back = round_trip(&value);
            assert_eq!(
                back["k"],
                serde_json::Value::String(s.to_owned()),
                "value {s:?}"
            );
            assert_eq!(back[s], serde_json::json!(1), "key {s:?}");
        }
    }

    #[test]
    fn nested_maps_and_lists() {
        let mut op = Y::map();
        op.put("name", Y::s("phoneNumberCertification"));
        op.put("errors", Y::Seq(vec![Y::Int(2001), Y::Int(2101)]));
        let mut params = Y::map();
        let mut p = Y::map();
        p.put("type", Y::s("string"));
        p.put("example", Y::s("0612345678"));
        p.put("values", Y::Seq(vec![Y::s("a, b"), Y::s("c")]));
        params.put("phoneNumber", p);
        op.put("parameters", params);
        op.put("description", Y::s("Two lines.\nSecond one."));
        let mut doc = Y::map();
        doc.put("operations", Y::Seq(vec![op.clone(), op]));
        doc.put("empty", Y::Seq(vec![]));
        let text = write(&["a header".into()], &doc);
        assert!(text.starts_with("# a header\n"));
        assert!(text.contains("    errors: [2001, 2101]\n"), "{text}");
        let back = round_trip(&doc);
        assert_eq!(
            back["operations"][1]["parameters"]["phoneNumber"]["example"],
            "0612345678"
        );
        assert_eq!(
            back["operations"][0]["parameters"]["phoneNumber"]["values"][0],
            "a, b"
        );
        assert_eq!(
            back["operations"][0]["description"],
            "Two lines.\nSecond one."
        );
        assert_eq!(back["empty"], serde_json::json!([]));
    }
}
