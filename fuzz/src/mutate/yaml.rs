//! What the mutators know of a spec file's YAML: its lines (indentation,
//! list dashes, key, value, block scalars), the tree their indentation makes,
//! and its *sites*: every key and scalar, with the role it plays in the spec
//! format (an error's name, a field's name, a `type:`, a code, …). Flow
//! collections (`{ type: string, required: true }`, `[2001, 2006]`) are
//! looked into too. This is a reading good enough to aim mutations, not a
//! parser: the generator's own parser decides what the mutated text means.

use std::ops::Range;

/// What a key or a scalar is in the spec format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A key of the format itself (`type`, `required`, …).
    FormatKey,
    /// A parameter's or an object field's name (a key under `parameters:` or `fields:`).
    FieldName,
    /// A named type's name (a key under `types:`).
    TypeName,
    /// A component's tag (a key under `components:`).
    ComponentName,
    /// A security's name (a key under `securities:`).
    SecurityName,
    /// A selector key.
    SelectorKey,
    /// A catalogue error's `name:`.
    ErrorName,
    /// An operation's `name:`.
    OperationName,
    /// An enumeration member's `name:`.
    EnumName,
    /// An enumeration member (`values:`).
    EnumValue,
    /// A selector value.
    SelectorValue,
    /// `type:`, `result:`, `events:`.
    TypeRef,
    /// `component:`.
    ComponentRef,
    /// An entry of `security:`.
    SecurityRef,
    /// A `code:` or an entry of `errors:`.
    ErrorCode,
    /// `verb:`.
    Verb,
    /// `api:`.
    Api,
    /// An entry of `related:`.
    Related,
    /// `since:`, `updated:`, `version:`.
    Version,
    /// Prose: `description:`, `label:`, `title:`, `summary:`, `unit:`, `category:`, block scalars.
    Text,
    /// `required:`, `nullable:`, `additional:`, `sub_codes:`, `deprecated:`.
    Bool,
    /// Bounds and lengths.
    Number,
    /// `pattern:`.
    Pattern,
    /// `example:`, `default:`, and what examples hold.
    Example,
    /// `compatibility:`, `platforms:`, `connectivity:`.
    Platform,
    /// `format:`.
    Format,
    /// Anything else.
    Other,
}

impl Role {
    /// Roles that are names: where keywords and case collisions are aimed.
    pub fn is_name(self) -> bool {
        matches!(
            self,
            Role::FieldName
                | Role::TypeName
                | Role::ComponentName
                | Role::SecurityName
                | Role::SelectorKey
                | Role::ErrorName
                | Role::OperationName
                | Role::EnumName
                | Role::EnumValue
        )
    }
}

/// A key or a scalar of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Its bytes in the text.
    pub span: Range<usize>,
    /// What it is.
    pub role: Role,
    /// Whether it is a key (else a value).
    pub key: bool,
    /// Whether it stands inside a flow collection (where `,[]{}` end a plain scalar).
    pub flow: bool,
    /// Its line (0-based).
    pub line: usize,
}

/// One line of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its bytes in the text, line break included.
    pub span: Range<usize>,
    /// Leading spaces.
    pub indent: usize,
    /// The column of what follows the list dashes (`- - x` → 4).
    pub col: usize,
    /// Whether it starts a list item.
    pub dash: bool,
    /// The key, if the line is `key: …`.
    pub key: Option<Range<usize>>,
    /// The value after the key (or the whole scalar of a `- x` line), comment removed.
    pub value: Option<Range<usize>>,
    /// Blank, a comment, or inside a block scalar.
    pub inert: bool,
    /// Inside a block scalar (`|`, `>`): prose.
    pub in_block_scalar: bool,
}

/// The end of a plain or quoted scalar's text on a line, comments removed.
fn value_end(text: &str, start: usize, end: usize) -> usize {
    let s = &text[start..end];
    let bytes = s.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => {
                if (b == b'"' || b == b'\'')
                    && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b'{' | b',' | b':'))
                {
                    quote = Some(b);
                } else if b == b'#' && (i == 0 || bytes[i - 1] == b' ') {
                    return start + s[..i].trim_end().len();
                }
            }
        }
        i += 1;
    }
    start + s.trim_end().len()
}

/// The key of a `key: value` text starting at `start`: a plain or quoted key
/// followed by `:` and a space or the end.
fn key_at(text: &str, start: usize, end: usize) -> Option<(Range<usize>, usize)> {
    let s = &text[start..end];
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if matches!(
        first,
        b'#' | b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`'
    ) {
        return None;
    }
    if first == b'"' || first == b'\'' {
        let close = s[1..].find(first as char)? + 1;
        let after = close + 1;
        if s[after..].starts_with(':') && (after + 1 == s.len() || s.as_bytes()[after + 1] == b' ')
        {
            return Some((start + 1..start + close, start + after + 1));
        }
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            if i == 0 {
                return None;
            }
            return Some((start..start + s[..i].trim_end().len(), start + i + 1));
        }
        if bytes[i] == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
        i += 1;
    }
    None
}

/// The lines of `text`.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut block_scalar: Option<usize> = None;
    for raw in text.split_inclusive('\n') {
        let span = offset..offset + raw.len();
        offset += raw.len();
        let body_end = span.start + raw.trim_end_matches(['\n', '\r']).len();
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let content_start = span.start + indent;
        let blank = text[content_start..body_end].trim().is_empty();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                out.push(Line {
                    span,
                    indent,
                    col: indent,
                    dash: false,
                    key: None,
                    value: (!blank).then_some(content_start..body_end),
                    inert: true,
                    in_block_scalar: !blank,
                });
                continue;
            }
            block_scalar = None;
        }
        let mut col = indent;
        let mut dash = false;
        while text[span.start + col..body_end].starts_with("- ")
            || &text[span.start + col..body_end] == "-"
        {
            dash = true;
            col += 2;
            while text[span.start + col.min(body_end - span.start)..body_end].starts_with(' ') {
                col += 1;
            }
            if span.start + col >= body_end {
                break;
            }
        }
        let start = (span.start + col).min(body_end);
        let comment = text[start..body_end].starts_with('#');
        if blank || comment {
            out.push(Line {
                span,
                indent,
                col,
                dash,
                key: None,
                value: None,
                inert: true,
                in_block_scalar: false,
            });
            continue;
        }
        let (key, value_start) = match key_at(text, start, body_end) {
            Some((k, after)) => (Some(k), after),
            None => (None, start),
        };
        let vs = value_start + text[value_start..body_end].len()
            - text[value_start..body_end].trim_start().len();
        let ve = value_end(text, vs, body_end);
        let value = (ve > vs).then_some(vs..ve);
        if let Some(v) = &value {
            let t = &text[v.clone()];
            if t.starts_with('|') || t.starts_with('>') {
                // its lines are those indented deeper than the key
                block_scalar = Some(col);
            }
        }
        out.push(Line {
            span,
            indent,
            col,
            dash,
            key,
            value,
            inert: false,
            in_block_scalar: false,
        });
    }
    out
}

/// The nearest line before `i` that opens the mapping or list `i` is in: a
/// key line with no value, at a smaller column.
pub fn parent(lines: &[Line], i: usize) -> Option<usize> {
    let col = lines[i].col;
    (0..i).rev().find(|&j| {
        let l = &lines[j];
        !l.inert && l.key.is_some() && l.col < col && l.value.is_none()
    })
}

/// The lines of the block that line `i` starts: `i` and what is indented under it.
pub fn block(lines: &[Line], i: usize) -> Range<usize> {
    let own = if lines[i].dash {
        lines[i].indent
    } else {
        lines[i].col
    };
    let mut end = i + 1;
    while end < lines.len() {
        let l = &lines[end];
        // a block scalar's lines are always under their key
        if !l.inert && !l.in_block_scalar && (if l.dash { l.indent } else { l.col }) <= own {
            break;
        }
        end += 1;
    }
    // trailing blank lines and comments belong to what follows
    while end > i + 1 && lines[end - 1].inert && !lines[end - 1].in_block_scalar {
        end -= 1;
    }
    i..end
}

fn key_role(parent_key: &str) -> Role {
    match parent_key {
        "parameters" | "fields" => Role::FieldName,
        "types" => Role::TypeName,
        "components" => Role::ComponentName,
        "securities" => Role::SecurityName,
        "selector" => Role::SelectorKey,
        _ => Role::FormatKey,
    }
}

fn value_role(key: &str, parent_key: &str) -> Role {
    if parent_key == "selector" {
        return Role::SelectorValue;
    }
    match key {
        "name" => match parent_key {
            "errors" => Role::ErrorName,
            "operations" => Role::OperationName,
            "values" => Role::EnumName,
            _ => Role::Text,
        },
        "code" | "errors" | "error" => Role::ErrorCode,
        "verb" => Role::Verb,
        "type" | "result" | "events" | "items" => Role::TypeRef,
        "component" => Role::ComponentRef,
        "security" => Role::SecurityRef,
        "values" | "value" => Role::EnumValue,
        "api" => Role::Api,
        "related" => Role::Related,
        "since" | "updated" | "version" => Role::Version,
        "description" | "label" | "title" | "summary" | "unit" | "category" => Role::Text,
        "required" | "nullable" | "additional" | "sub_codes" | "deprecated" => Role::Bool,
        "minimum" | "maximum" | "min_length" | "max_length" | "min_items" | "max_items" => {
            Role::Number
        }
        "pattern" => Role::Pattern,
        "example" | "default" | "parameters" | "events_" => Role::Example,
        "compatibility" | "platforms" | "connectivity" => Role::Platform,
        "format" => Role::Format,
        _ => Role::Other,
    }
}

/// The sites of the flow collection at `span` (which starts with `[` or `{`),
/// for a value of `key` under `parent_key`.
fn flow_sites(
    text: &str,
    span: Range<usize>,
    key: &str,
    parent_key: &str,
    line: usize,
    out: &mut Vec<Site>,
) {
    let bytes = text.as_bytes();
    let open = bytes[span.start];
    let close = if open == b'[' { b']' } else { b'}' };
    let mut i = span.start + 1;
    let end = span.end;
    while i < end {
        // skip spaces and commas
        while i < end && matches!(bytes[i], b' ' | b',' | b'\t') {
            i += 1;
        }
        if i >= end || bytes[i] == close {
            return;
        }
        // one entry: up to a comma or the close at depth 0
        let entry_start = i;
        let mut depth = 0;
        let mut quote: Option<u8> = None;
        while i < end {
            let b = bytes[i];
            match quote {
                Some(q) => {
                    if b == b'\\' && q == b'"' {
                        i += 1;
                    } else if b == q {
                        quote = None;
                    }
                }
                None => match b {
                    b'"' | b'\'' => quote = Some(b),
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' if depth > 0 => depth -= 1,
                    b']' | b'}' | b',' if depth == 0 => break,
                    _ => {}
                },
            }
            i += 1;
        }
        let entry_end = entry_start + text[entry_start..i.min(end)].trim_end().len();
        if entry_end <= entry_start {
            // a closing bracket of the other kind: step over it
            i = entry_start + 1;
            continue;
        }
        let entry = entry_start..entry_end;
        if open == b'{' {
            if let Some((k, after)) = key_at(text, entry.start, entry.end) {
                let inner_key = text[k.clone()].to_owned();
                out.push(Site {
                    span: k,
                    role: key_role(key),
                    key: true,
                    flow: true,
                    line,
                });
                let vs = after + text[after..entry.end].len()
                    - text[after..entry.end].trim_start().len();
                if vs < entry.end {
                    scalar_or_flow(text, vs..entry.end, &inner_key, key, line, true, out);
                }
            }
        } else {
            let role_key = if key == "values" { "value" } else { key };
            scalar_or_flow(text, entry, role_key, parent_key, line, true, out);
        }
    }
}

fn scalar_or_flow(
    text: &str,
    span: Range<usize>,
    key: &str,
    parent_key: &str,
    line: usize,
    flow: bool,
    out: &mut Vec<Site>,
) {
    let first = text.as_bytes()[span.start];
    if first == b'[' || first == b'{' {
        flow_sites(text, span, key, parent_key, line, out);
    } else {
        out.push(Site {
            span,
            role: value_role(key, parent_key),
            key: false,
            flow,
            line,
        });
    }
}

/// Every site of `text`, given its lines.
pub fn sites(text: &str, lines: &[Line]) -> Vec<Site> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.in_block_scalar {
            if let Some(v) = &l.value {
                out.push(Site {
                    span: v.clone(),
                    role: Role::Text,
                    key: false,
                    flow: false,
                    line: i,
                });
            }
            continue;
        }
        if l.inert {
            continue;
        }
        let parent_key = parent(lines, i)
            .and_then(|p| lines[p].key.clone())
            .map(|k| &text[k])
            .unwrap_or("");
        match &l.key {
            Some(k) => {
                let key = &text[k.clone()];
                out.push(Site {
                    span: k.clone(),
                    role: key_role(parent_key),
                    key: true,
                    flow: false,
                    line: i,
                });
                if let Some(v) = &l.value {
                    let t = &text[v.clone()];
                    if !t.starts_with('|') && !t.starts_with('>') {
                        scalar_or_flow(text, v.clone(), key, parent_key, i, false, &mut out);
                    }
                }
            }
            None => {
                if let Some(v) = &l.value {
                    let key = if parent_key == "values" {
                        "value"
                    } else {
                        parent_key
                    };
                    let grand = parent(lines, i)
                        .and_then(|p| parent(lines, p))
                        .and_then(|g| lines[g].key.clone())
                        .map(|k| &text[k])
                        .unwrap_or("");
                    scalar_or_flow(text, v.clone(), key, grand, i, false, &mut out);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "api: pims.a.b # the api\noperations:\n  - name: doIt\n    verb: get\n    description: >-\n      Some: text\n      more\n    selector:\n      type: x\n    parameters:\n      phone: { type: string, values: [a, 'b c'] }\n    errors: [2001, 2006]\nerrors:\n  - code: 2001\n    name: Boom\n";

    fn roles(text: &str) -> Vec<(String, Role, bool)> {
        let ls = lines(text);
        sites(text, &ls)
            .into_iter()
            .map(|s| (text[s.span].to_owned(), s.role, s.key))
            .collect()
    }

    #[test]
    fn sites_know_their_roles() {
        let found = roles(TEXT);
        let has = |t: &str, r: Role| found.iter().any(|(x, role, _)| x == t && *role == r);
        assert!(has("pims.a.b", Role::Api), "{found:?}");
        assert!(has("doIt", Role::OperationName), "{found:?}");
        assert!(has("get", Role::Verb), "{found:?}");
        assert!(has("Some: text", Role::Text), "{found:?}");
        assert!(has("type", Role::SelectorKey), "{found:?}");
        assert!(has("x", Role::SelectorValue), "{found:?}");
        assert!(has("phone", Role::FieldName), "{found:?}");
        assert!(has("string", Role::TypeRef), "{found:?}");
        assert!(has("a", Role::EnumValue), "{found:?}");
        assert!(has("'b c'", Role::EnumValue), "{found:?}");
        assert!(has("2006", Role::ErrorCode), "{found:?}");
        assert!(has("Boom", Role::ErrorName), "{found:?}");
        assert!(
            !found.iter().any(|(x, _, _)| x.contains("the api")),
            "comments are not values"
        );
    }

    #[test]
    fn odd_flow_collections_end() {
        for text in [
            "a: [x}, y]\n",
            "a: {x], y: 1}\n",
            "a: [}}}]\n",
            "a: {,,]\n",
            "- [\n",
            "a: [\"x, ]\n",
        ] {
            let ls = lines(text);
            let _ = sites(text, &ls);
        }
    }

    #[test]
    fn blocks_hold_what_is_indented_under_them() {
        let ls = lines(TEXT);
        let op = ls.iter().position(|l| l.dash).expect("an item");
        let b = block(&ls, op);
        assert_eq!(b, 2..12, "the operation runs to `errors: [...]`");
        let params = ls
            .iter()
            .position(|l| TEXT[l.span.clone()].contains("parameters"))
            .expect("parameters");
        assert_eq!(block(&ls, params), params..params + 2);
        assert_eq!(parent(&ls, params + 1), Some(params));
    }
}
