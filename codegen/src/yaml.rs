//! YAML text to a tree of located nodes, with `serde-saphyr`.
//!
//! The tree keeps, for every node, where it stood (line and column) and, for
//! scalars, whether they were quoted and their text as written: an unquoted
//! `0612345678` is the number 612345678 to YAML, and the checker needs to say
//! so. Parsing is bounded: alias expansion, nesting and node counts have
//! budgets, so a hostile file gives an error, not a hang or a blown stack.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{MessageFormatter as _, Spanned};

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Loc};

/// Deepest nesting of mappings and sequences accepted in a spec file.
pub const MAX_DEPTH: usize = 64;

/// The parser recurses once per level of nesting, with large frames in debug
/// builds: it runs on a thread of its own with this much stack.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// A YAML value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was written (for an alias, where the alias was used).
    pub loc: Loc,
    /// Where its value was defined (for an alias, the anchored node).
    pub origin: Loc,
    /// For scalars: the text as written, when the scalar was not quoted.
    pub plain: Option<String>,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in the order written (duplicate keys included, for the checker).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What kind of value this is, for messages: `a string`, `a list`, …
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node as JSON (mapping keys as their text).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k.key_text(), v.to_json());
                }
                serde_json::Value::Object(map)
            }
        }
    }

    /// The node as a mapping key: its string, or the text of a scalar.
    pub fn key_text(&self) -> String {
        match &self.value {
            Value::Str(s) => s.clone(),
            _ => self
                .plain
                .clone()
                .unwrap_or_else(|| self.to_json().to_string()),
        }
    }

    /// A short rendering of a scalar for messages (`"0612"`, `612`, `true`).
    pub fn show(&self) -> String {
        match &self.value {
            Value::Str(s) => format!("{s:?}"),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map(_) => "a map".to_owned(),
            _ => self
                .plain
                .clone()
                .unwrap_or_else(|| self.to_json().to_string()),
        }
    }
}

/// What `serde-saphyr` hands over, before locations are made ours.
#[derive(Debug)]
enum Raw {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
                Ok(i128::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
                Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<Raw>>()? {
                    let value = map.next_value::<Spanned<Raw>>()?;
                    entries.push((key, value));
                }
                Ok(Raw::Map(entries))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Parses `text` (the contents of `file`) into a node tree.
pub fn parse(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
    std::thread::scope(|scope| {
        let parser = std::thread::Builder::new()
            .name("pims-yaml".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_here(file, text));
        match parser.map(|handle| handle.join()) {
            Ok(Ok(result)) => result,
            Ok(Err(_)) | Err(_) => Err(Box::new(Diagnostic::error(
                Code::YamlLimit,
                Loc::file(file),
                "the YAML parser could not run on this file",
            ))),
        }
    })
}

fn parse_here(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
    if text.trim().is_empty() || only_comments(text) {
        return Err(Box::new(
            Diagnostic::error(Code::EmptyFile, Loc::file(file), "the file is empty")
                .expected("a YAML mapping")
                .help("write the file's content, or delete it"),
        ));
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_events: 2_000_000,
            max_aliases: 10_000,
            max_nodes: 1_000_000,
            max_total_scalar_bytes: 32 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 200_000,
            max_alias_expansions_per_anchor: 5_000,
        },
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
    };
    let raw: Spanned<Raw> = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| Box::new(syntax_error(file, text, &e)))?;
    Ok(convert(file, text, raw))
}

fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---" || l == "...")
}

/// What a parser error means in a spec file, said in the spec's terms (no
/// diagnostic names a library function or option), with the fix where there
/// is one. `None` for errors whose own wording says it well enough.
fn in_spec_terms(error: &serde_saphyr::Error) -> Option<(&'static str, &'static str)> {
    use serde_saphyr::Error as E;
    Some(match error {
        E::MultipleDocuments { .. } => (
            "a spec file holds one YAML document; a second one starts here",
            "remove the `---` (or `...`) line, or move what follows to a file of its own",
        ),
        E::BinaryNotUtf8 { .. }
        | E::TaggedScalarCannotDeserializeIntoString { .. }
        | E::BytesNotSupportedMissingBinaryTag { .. }
        | E::InvalidBinaryBase64 { .. }
        | E::UnsupportedTag { .. } => (
            "a spec holds plain text values: tags such as `!!binary` are not read",
            "write the value itself, without the tag",
        ),
        E::UnknownAnchor { .. } => (
            "an alias (`*name`) refers to no anchor (`&name`) written before it",
            "write the anchor before the alias, or the value itself",
        ),
        E::MergeKeyNotAllowed { .. } => (
            "merge keys (`<<`) are not read in spec files",
            "write the keys out, or declare the shape once under `types:`",
        ),
        E::CyclicInclude { .. } | E::UnsupportedIncludeForm { .. } | E::ResolverError { .. } => (
            "a spec file includes no other file (`!include` is not read)",
            "write the content here, or declare a shared type in pims.yaml",
        ),
        E::Eof { .. } => (
            "the file ends in the middle of a value",
            "close the open quote, bracket or brace",
        ),
        _ => return None,
    })
}

fn syntax_error(file: FileId, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let inner = error.without_snippet();
    let spec_terms = in_spec_terms(inner);
    let mut message = match spec_terms {
        Some((message, _)) => message.to_owned(),
        None => serde_saphyr::UserMessageFormatter
            .format_message(inner)
            .into_owned(),
    };
    // the parser's advice is for programmers using it, not for spec authors
    if ["from_str", "Options", "ignore_", "serde", "deserializ"]
        .iter()
        .any(|w| message.contains(w))
    {
        message = "the YAML cannot be read here".to_owned();
    }
    let mut loc = error.location().map_or(Loc::file(file), |l| Loc {
        file,
        line: l.line() as u32,
        col: l.column() as u32,
    });
    // a second document starts at its `---` (or after a `...`), not at its first value
    if matches!(inner, serde_saphyr::Error::MultipleDocuments { .. }) && loc.line > 1 {
        let lines: Vec<&str> = crate::source::lines(text).collect();
        if let Some(at) = (0..(loc.line as usize - 1).min(lines.len()))
            .rev()
            .find(|&i| lines[i].starts_with("---") || lines[i].starts_with("..."))
        {
            loc = Loc {
                file,
                line: at as u32 + 1,
                col: 1,
            };
        }
    }
    let limit = matches!(
        inner,
        serde_saphyr::Error::Budget { .. }
            | serde_saphyr::Error::AliasReplayLimitExceeded { .. }
            | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
            | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
    ) || message.contains("limit")
        || message.contains("budget")
        || message.contains("too large or too complex");
    if limit {
        Diagnostic::error(Code::YamlLimit, loc, "the YAML exceeds a safety limit")
            .found(message)
            .expected(format!(
                "at most {MAX_DEPTH} levels of nesting and a bounded expansion of aliases"
            ))
            .help("spec files are small: flatten the structure or write the repeated part once as a named type")
    } else {
        match spec_terms {
            Some((message, help)) => Diagnostic::error(Code::YamlSyntax, loc, message).help(help),
            None => Diagnostic::error(Code::YamlSyntax, loc, format!("invalid YAML: {message}")),
        }
    }
}

fn convert(file: FileId, text: &str, raw: Spanned<Raw>) -> Node {
    let loc = Loc {
        file,
        line: raw.referenced.line() as u32,
        col: raw.referenced.column() as u32,
    };
    let origin = Loc {
        file,
        line: raw.defined.line() as u32,
        col: raw.defined.column() as u32,
    };
    // the text as written is where the value was defined, not the alias
    let span = raw.defined.span();
    let written = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(o, l)| text.get(o as usize..(o + l) as usize));
    let is_plain = |w: &str| !w.starts_with(['"', '\'', '*', '|', '>', '&', '!']);
    let plain = match &raw.value {
        Raw::Seq(_) | Raw::Map(_) => None,
        _ => written.filter(|w| is_plain(w)).map(str::to_owned),
    };
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => i64::try_from(i).map_or(Value::Float(i as f64), Value::Int),
        // `0612345678` arrives as a float; as written it is an integer
        Raw::Float(f) => match plain.as_deref().map(str::parse::<i64>) {
            Some(Ok(i)) if i as f64 == f => Value::Int(i),
            _ => Value::Float(f),
        },
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(file, text, i)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (convert(file, text, k), convert(file, text, v)))
                .collect(),
        ),
    };
    Node {
        value,
        loc,
        origin,
        plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Node {
        parse(FileId(0), text).expect("parses")
    }

    fn entries(n: &Node) -> &[(Node, Node)] {
        match &n.value {
            Value::Map(e) => e,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn unquoted_leading_zero_is_an_integer_with_its_text() {
        let n = p("a: 0612345678\nb: \"0612345678\"\n");
        let e = entries(&n);
        assert_eq!(e[0].1.value, Value::Int(612345678));
        assert_eq!(e[0].1.plain.as_deref(), Some("0612345678"));
        assert_eq!(e[1].1.value, Value::Str("0612345678".into()));
        assert_eq!(e[1].1.plain, None);
        assert_eq!((e[1].1.loc.line, e[1].1.loc.col), (2, 4));
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_checker() {
        let n = p("a: 1\na: 2\n");
        assert_eq!(entries(&n).len(), 2);
    }

    #[test]
    fn empty_and_comment_only_files_are_errors() {
        assert_eq!(parse(FileId(0), "").unwrap_err().code, Code::EmptyFile);
        assert_eq!(
            parse(FileId(0), "# nothing\n").unwrap_err().code,
            Code::EmptyFile
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let d = parse(FileId(0), "a: [1, 2\n").unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.loc.line, 1);
    }

    #[test]
    fn parser_errors_are_said_in_the_specs_terms() {
        for (text, says) in [
            (
                "api: x\n---\napi: y\n",
                "a spec file holds one YAML document; a second one starts here",
            ),
            ("a: *nowhere\n", "an alias (`*name`) refers to no anchor"),
            ("a: \"open\n", "invalid YAML"),
        ] {
            let d = parse(FileId(0), text).unwrap_err();
            assert!(d.message.contains(says), "{text:?}: {}", d.message);
            for word in ["from_str", "Options", "ignore_binary", "serde"] {
                assert!(!d.message.contains(word), "{text:?}: {}", d.message);
            }
        }
        let d = parse(FileId(0), "api: x\n---\napi: y\n").unwrap_err();
        assert_eq!(d.loc.line, 2, "where the second document starts");
        assert!(d.help.is_some_and(|h| h.contains("`---`")));
    }

    #[test]
    fn alias_bombs_hit_a_limit() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            bomb.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = c;
        }
        let d = parse(FileId(0), &bomb).unwrap_err();
        assert_eq!(d.code, Code::YamlLimit, "{d:?}");
    }

    #[test]
    fn deep_nesting_hits_a_limit() {
        let d = parse(FileId(0), &"[".repeat(100_000)).unwrap_err();
        assert!(
            matches!(d.code, Code::YamlLimit | Code::YamlSyntax),
            "{d:?}"
        );
        let mut deep = String::new();
        for i in 0..2000 {
            deep.push_str(&" ".repeat(i));
            deep.push_str("a:\n");
        }
        assert_eq!(parse(FileId(0), &deep).unwrap_err().code, Code::YamlLimit);
    }
}
