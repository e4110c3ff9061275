//! The rustdoc of generated items: the same knowledge as the reference pages,
//! as doc lines. Spec text is escaped so it cannot become a link, HTML, a
//! heading or a doctest.

use crate::ir::{ErrorVariant, FieldIr, Module, OperationIr, TyKind};
use crate::spec::{Platform, Scalar};

/// Spec text as rustdoc markdown: paragraphs kept, lines of a paragraph joined,
/// and what markdown would read as syntax (links, HTML, headings, code
/// blocks, fences) escaped.
pub fn escape(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let joined = paragraph
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if joined.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(escape_line(&joined));
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let (url, tail) = split_url(word);
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&escape_chars(tail));
        } else {
            out.push_str(&escape_chars(word));
        }
    }
    if out.starts_with('#') || out.starts_with('>') || out.starts_with('=') {
        out.insert(0, '\\');
    }
    out
}

fn split_url(word: &str) -> (&str, &str) {
    let end = word
        .char_indices()
        .find(|(_, c)| matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .map_or(word.len(), |(i, _)| i);
    let mut url = &word[..end];
    while url.ends_with(['.', ',', ';', ':']) {
        url = &url[..url.len() - 1];
    }
    (url, &word[url.len()..])
}

fn escape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' | ']' | '<' | '>' | '*' | '_' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '`' => out.push('`'),
            _ => out.push(c),
        }
    }
    // an unbalanced backtick would run a code span into the next line's text
    if out.matches('`').count() % 2 == 1 {
        out = out.replace('`', "\\`");
    }
    out
}

/// A value in inline code, with as many backticks as it needs.
pub fn code(text: &str) -> String {
    let mut fence = "`".to_owned();
    while text.contains(&fence) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The doc of a struct field.
pub fn field_doc(f: &FieldIr) -> Vec<String> {
    let mut lines = f.doc.as_deref().map(escape).unwrap_or_default();
    let mut facts = Vec::new();
    match &f.ty.kind {
        TyKind::String(s) => {
            if let Some(format) = &s.format {
                facts.push(format!("Format: {}.", code(format)));
            }
            if let Some(unit) = &s.unit {
                facts.push(format!("Unit: {}.", code(unit)));
            }
            if let Some(p) = &s.pattern {
                facts.push(format!("Pattern: {}.", code(p)));
            }
        }
        TyKind::Integer(n) | TyKind::Number(n) => {
            if let Some(unit) = &n.unit {
                facts.push(format!("Unit: {}.", code(unit)));
            }
            match (n.minimum, n.maximum) {
                (Some(lo), Some(hi)) => facts.push(format!("From {lo} to {hi}.")),
                (Some(lo), None) => facts.push(format!("At least {lo}.")),
                (None, Some(hi)) => facts.push(format!("At most {hi}.")),
                (None, None) => {}
            }
            if !n.values.is_empty() {
                facts.push(format!("One of {}.", members(&n.values)));
            }
        }
        TyKind::Boolean { values } if !values.is_empty() => {
            facts.push(format!("{}.", members(values)));
        }
        _ => {}
    }
    if let Some(default) = &f.default {
        facts.push(format!("Default: {}.", code(&default.to_string())));
    }
    if let Some(example) = &f.example {
        facts.push(format!("Example: {}.", code(&example.to_string())));
    }
    if let Some(since) = &f.since {
        facts.push(format!("Since {since}."));
    }
    if !f.platforms.is_empty() {
        facts.push(format!("Only on {}.", platforms(&f.platforms)));
    }
    if !facts.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(facts.join(" "));
    }
    lines
}

/// `` `0` (silent), `1` `` for documented members.
fn members(values: &[crate::ir::MemberIr]) -> String {
    values
        .iter()
        .map(|m| {
            let value = code(&m.value.to_json().to_string());
            match &m.doc {
                Some(doc) => format!("{value} ({})", escape(doc).join(" ").trim_end_matches('.')),
                None => value,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn platforms(list: &[Platform]) -> String {
    list.iter()
        .map(|p| match p {
            Platform::Android => "Android",
            Platform::Ios => "iOS",
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The doc of a type definition.
pub fn type_doc(doc: Option<&str>) -> Vec<String> {
    doc.map(escape).unwrap_or_default()
}

/// The doc of an enumeration's variant: its wire value and meaning.
pub fn variant_doc(value: &Scalar, doc: Option<&str>) -> Vec<String> {
    let wire = code(&value.to_json().to_string());
    match doc {
        Some(doc) => {
            let mut lines = escape(doc);
            if let Some(first) = lines.first_mut() {
                *first = format!("{wire}: {first}");
            }
            lines
        }
        None => vec![format!("{wire} on the wire.")],
    }
}

/// The doc of an error variant: code, category, label.
pub fn error_doc(e: &ErrorVariant) -> Vec<String> {
    let mut lines = vec![format!("`{}` ({}): {}", e.code, e.category, code(&e.label))];
    if let Some(d) = &e.description {
        lines.push(String::new());
        lines.extend(escape(d));
    }
    lines
}

/// The doc of an api module.
pub fn module_doc(source_root: &str, module: &Module) -> Vec<String> {
    let mut lines = vec![format!("`{}`", module.api)];
    if let Some(d) = &module.description {
        lines.push(String::new());
        lines.extend(escape(d));
    }
    lines.push(String::new());
    lines.push(format!(
        "Component: {}. Defined in `{source_root}/{}`.",
        module.component,
        crate::source::display_path(&module.source)
    ));
    lines
}

/// The doc of an operation's request type.
pub fn operation_doc(op: &OperationIr) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = &op.description {
        lines.extend(escape(d));
        lines.push(String::new());
    }
    let mut availability = format!("Since {}", op.since);
    if let Some(u) = &op.updated {
        availability.push_str(&format!(", updated in {u}"));
    }
    availability.push('.');
    if let Some(dep) = &op.deprecated {
        match dep {
            crate::ir::Deprecation::Yes => availability.push_str(" **Deprecated.**"),
            crate::ir::Deprecation::Because(r) => {
                availability.push_str(&format!(" **Deprecated:** {}", escape(r).join(" ")));
            }
        }
    }
    lines.push(format!(
        "`pims.{}` {}. {availability}",
        op.verb.as_str(),
        code(&op.title)
    ));
    if !op.security.is_empty() {
        lines.push(String::new());
        lines.push(format!("Security: {}.", op.security.join(", ")));
    }
    if !op.compatibility.is_empty() || !op.platforms.is_empty() {
        lines.push(String::new());
        let mut s = String::new();
        if !op.compatibility.is_empty() {
            s.push_str(&format!("Vehicles: {}.", op.compatibility.join(", ")));
        }
        if !op.platforms.is_empty() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("Only on {}.", platforms(&op.platforms)));
        }
        lines.push(s);
    }
    if !op.errors.is_empty() {
        lines.push(String::new());
        let codes: Vec<String> = op.errors.iter().map(|c| format!("`{c}`")).collect();
        lines.push(format!(
            "Fails with [`{}`]: {}.",
            op.error_enum,
            codes.join(", ")
        ));
    }
    if !op.related.is_empty() {
        lines.push(String::new());
        let related: Vec<String> = op.related.iter().map(|r| code(r)).collect();
        lines.push(format!("See also {}.", related.join(", ")));
    }
    lines
}
