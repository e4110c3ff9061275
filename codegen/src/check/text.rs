//! E008: characters no spec text may hold (see [`super::is_hidden_char`]).
//!
//! Checked on the text itself (a raw character anywhere, comments included:
//! a bidi control in a comment can hide code from a reviewer) and on every
//! string value (a `"\r"` or `"\u202E"` escape in a quoted scalar). Lines are
//! counted as YAML counts them: `\r\n`, `\r` and `\n` each end a line.

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Loc};
use crate::yaml::{Node, Value};

use super::is_hidden_char;

/// At most this many E008 per file; the rest are summed up in the last one.
const MAX_PER_FILE: usize = 20;

/// The hidden characters of `text` (the file `file`), and of the strings of
/// its parsed `node` that hold one as an escape.
pub fn hidden_characters(file: FileId, text: &str, node: Option<&Node>) -> Vec<Diagnostic> {
    let mut found: Vec<(Loc, char, bool)> = Vec::new();
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                (line, col) = (line + 1, 1);
                continue;
            }
            '\n' => {
                (line, col) = (line + 1, 1);
                continue;
            }
            c if is_hidden_char(c) => found.push((Loc { file, line, col }, c, true)),
            _ => {}
        }
        col += 1;
    }
    if let Some(node) = node {
        let raw_lines: Vec<u32> = found.iter().map(|(l, _, _)| l.line).collect();
        strings(node, &mut |n, s| {
            if let Some(c) = s.chars().find(|c| is_hidden_char(*c))
                && !raw_lines.contains(&n.loc.line)
            {
                found.push((n.loc, c, false));
            }
        });
    }
    found.sort_by_key(|(loc, _, _)| *loc);
    found.dedup_by_key(|(loc, _, _)| *loc);
    let total = found.len();
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .take(MAX_PER_FILE)
        .map(|(loc, c, raw)| diagnostic(loc, c, raw))
        .collect();
    if total > MAX_PER_FILE
        && let Some(last) = out.last_mut()
    {
        last.message
            .push_str(&format!(" ({} more in this file)", total - MAX_PER_FILE));
    }
    out
}

fn diagnostic(loc: Loc, c: char, raw: bool) -> Diagnostic {
    let what = describe(c);
    let message = if raw {
        format!("the text holds {what}")
    } else {
        format!("the string holds {what}, written as an escape")
    };
    Diagnostic::error(Code::HiddenCharacter, loc, message)
        .expected("visible text: no control character other than tab and line feed, no bidi control")
        .help(if raw {
            "delete it: most editors do not show it, and it can make the text read differently than it is"
        } else {
            "remove the escape; a description or label needs no control character"
        })
}

/// `U+202E (right-to-left override)`.
fn describe(c: char) -> String {
    let name = match c {
        '\r' => "carriage return",
        '\u{0}' => "NUL",
        '\u{1b}' => "escape",
        '\u{7f}' => "delete",
        '\u{61c}' => "Arabic letter mark",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        _ => "a control character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

/// Calls `f` with every string of the tree (keys included).
fn strings(node: &Node, f: &mut impl FnMut(&Node, &str)) {
    match &node.value {
        Value::Str(s) => f(node, s),
        Value::Seq(items) => items.iter().for_each(|n| strings(n, f)),
        Value::Map(entries) => {
            for (k, v) in entries {
                strings(k, f);
                strings(v, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(u32, u32, String)> {
        let node = crate::yaml::parse(FileId(0), text).ok();
        hidden_characters(FileId(0), text, node.as_ref())
            .into_iter()
            .map(|d| (d.loc.line, d.loc.col, d.message))
            .collect()
    }

    #[test]
    fn raw_characters_are_located_as_yaml_counts_lines() {
        assert_eq!(
            found("a: x\rb: ok\u{202e}\n"),
            [(
                2,
                6,
                "the text holds U+202E (right-to-left override)".to_owned()
            )]
        );
        assert_eq!(found("a: x\r\nb: \u{7}\n")[0].0, 2);
        assert_eq!(found("# \u{2066} a comment\na: 1\n")[0].0, 1);
    }

    #[test]
    fn escapes_in_quoted_strings_are_found() {
        let d = found("a: \"line\\rbreak\"\nb: \"\\u202E\"\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].0, d[0].1), (1, 4));
        assert!(
            d[0].2
                .contains("U+000D (carriage return), written as an escape")
        );
        assert!(d[1].2.contains("U+202E"));
    }

    #[test]
    fn tabs_line_breaks_and_other_text_pass() {
        assert!(found("a: \"tab\\there\"\nb: |\n  two\r\n  lines\nc: é ✓ 日本\n").is_empty());
    }

    #[test]
    fn a_flood_is_capped() {
        let text = format!("a: \"{}\"\n", "\u{1}".repeat(100));
        let d = found(&text);
        assert_eq!(d.len(), MAX_PER_FILE);
        assert!(d[MAX_PER_FILE - 1].2.ends_with("(80 more in this file)"));
    }
}
