//! The rustdoc of generated items: the same knowledge as the reference pages,
//! as doc lines. Descriptions are Markdown: their code spans, emphasis and
//! `http`/`https`/`mailto` links are kept, parsed by `emit::markdown` (the
//! parser the book shares), and everything else is escaped, so spec text
//! cannot become another link, HTML, a heading, a code block or a doctest:
//! each paragraph is one line, the characters Markdown reads as syntax are
//! escaped wherever they stand (a list item can open a fence), and control
//! and bidi characters are written as escapes. Names and labels are literal
//! text. Only the examples this module writes itself are code.

use super::markdown::{self, Flavor};
use super::{Settings, Simulator};
use crate::ir::{ErrorVariant, FieldIr, Ir, Module, OperationIr, TyKind};
use crate::naming::rust as naming;
use crate::spec::{Platform, Scalar};

/// How rustdoc's text and code spans are written.
struct Rustdoc;

impl Flavor for Rustdoc {
    fn text(&self, text: &str) -> String {
        escape_chars(text)
    }

    fn code(&self, text: &str) -> String {
        code(text)
    }
}

/// Markdown spec text (a description) as rustdoc: paragraphs kept, one line
/// each, inline markup kept, everything else escaped.
pub fn escape(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in markdown::paragraphs(text) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(block_safe(markdown::render_paragraph(&paragraph, &Rustdoc)));
    }
    out
}

/// Escapes what would make `line` start a block when it begins a line: a
/// heading, a quote, a list item (which could hold a fence), a setext
/// underline, a definition.
fn block_safe(mut line: String) -> String {
    if line.starts_with(['#', '>', '=', '-', '+', ':']) {
        line.insert(0, '\\');
    }
    // an ordered list item: `1.` or `1)`
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        line.insert(digits, '\\');
    }
    line
}

/// Markdown spec text (a description) as inline rustdoc, on one line.
pub fn inline_markdown(text: &str) -> String {
    markdown::render(&markdown::inline(text), &Rustdoc)
}

/// Literal spec text (a name, a category) as inline rustdoc, on one line:
/// every character Markdown could read as syntax escaped, bare URLs linked.
pub fn inline(text: &str) -> String {
    markdown::render(&markdown::literal(text), &Rustdoc)
}

/// Escapes literal text: Markdown's inline syntax, HTML and entities with a
/// backslash, hidden characters as Rust escapes.
fn escape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' | ']' | '<' | '>' | '*' | '_' | '|' | '~' | '\\' | '{' | '}' | '`' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c if crate::check::is_hidden_char(c) => out.extend(c.escape_default()),
            _ => out.push(c),
        }
    }
    out
}

/// A value in inline code, with as many backticks as it needs, on one line
/// (control and bidi characters written as escapes).
pub fn code(text: &str) -> String {
    let text = &super::printable(text);
    let mut fence = "`".to_owned();
    while text.contains(&fence) {
        fence.push('`');
    }
    let pad = if text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' '))
    {
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
                Some(doc) => format!("{value} ({})", inline_markdown(doc).trim_end_matches('.')),
                None => value,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `iOS`, `Android and iOS`.
pub(crate) fn platforms(list: &[Platform]) -> String {
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
    let mut lines = vec![format!(
        "`{}` ({}): {}",
        e.code,
        inline(&e.category),
        code(&e.label)
    )];
    if let Some(d) = &e.description {
        lines.push(String::new());
        lines.extend(escape(d));
    }
    lines
}

/// The doc of an api module.
pub fn module_doc(settings: &Settings, module: &Module) -> Vec<String> {
    let mut lines = vec![code(&module.api)];
    if let Some(d) = &module.description {
        lines.push(String::new());
        lines.extend(escape(d));
    }
    lines.push(String::new());
    lines.push(format!(
        "Component: {}. Defined in {}.",
        code(&module.component),
        code(&settings.source(&module.source))
    ));
    lines
}

/// The doc of an operation's request type: what the reference page says,
/// with links between operations and, when the crate's name is known, an
/// example that rustdoc compiles and runs.
pub fn operation_doc(
    ir: &Ir,
    settings: &Settings,
    module: &Module,
    op: &OperationIr,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = &op.description {
        lines.extend(escape(d));
        lines.push(String::new());
    }
    lines.push(code(&format!(
        "pims.{}(\"{}\", {})",
        op.verb.as_str(),
        module.api,
        call_parameters(op)
    )));
    lines.push(String::new());
    lines.extend(availability(ir, settings, module, op));
    if !op.errors.is_empty() {
        lines.push(String::new());
        lines.push("# Errors".to_owned());
        lines.push(String::new());
        for code_ in &op.errors {
            if let Some(e) = ir.error(*code_) {
                let variant = naming::variant(&e.name);
                lines.push(format!(
                    "- `{}` [`{variant}`]({}::{variant}): {}",
                    e.code,
                    naming::type_name(&op.error_type),
                    code(&e.label)
                ));
            }
        }
    }
    let related: Vec<String> = op
        .related
        .iter()
        .filter_map(|r| related_link(ir, module, r))
        .collect();
    if !related.is_empty() {
        lines.push(String::new());
        lines.push("# See also".to_owned());
        lines.push(String::new());
        lines.extend(related);
    }
    if let Some(example) = example(ir, settings, module, op) {
        lines.push(String::new());
        lines.push("# Example".to_owned());
        lines.push(String::new());
        lines.extend(example);
    }
    lines
}

/// `{"type": "phoneNumberCertification", …}`: the selector, then `…` if there are parameters.
fn call_parameters(op: &OperationIr) -> String {
    let mut parts: Vec<String> = op
        .selector
        .iter()
        .map(|(k, v)| format!("\"{k}\": {}", v.to_json()))
        .collect();
    if !op.params.is_empty() {
        parts.push("…".to_owned());
    }
    format!("{{{}}}", parts.join(", "))
}

fn availability(ir: &Ir, settings: &Settings, module: &Module, op: &OperationIr) -> Vec<String> {
    let mut out = Vec::new();
    let mut since = format!("- Available since {}", op.since);
    if let Some(u) = &op.updated {
        since.push_str(&format!(", last updated in {u}"));
    }
    since.push('.');
    match &op.deprecated {
        Some(crate::ir::Deprecation::Yes) => since.push_str(" **Deprecated.**"),
        Some(crate::ir::Deprecation::Because(r)) => {
            since.push_str(&format!(" **Deprecated:** {}", inline_markdown(r)));
        }
        None => {}
    }
    out.push(since);
    out.push(format!("- Component: {}.", code(&op.component)));
    if !op.security.is_empty() {
        let described: Vec<String> = op
            .security
            .iter()
            .map(|s| {
                match ir
                    .securities
                    .iter()
                    .find(|x| x.name == *s)
                    .and_then(|x| x.description.as_deref())
                {
                    Some(d) => {
                        format!("{} ({})", code(s), inline_markdown(d).trim_end_matches('.'))
                    }
                    None => code(s),
                }
            })
            .collect();
        out.push(format!("- Security: {}.", described.join("; ")));
    }
    if !op.compatibility.is_empty() {
        let vehicles: Vec<String> = op.compatibility.iter().map(|v| code(v)).collect();
        out.push(format!("- Vehicles: {}.", vehicles.join(", ")));
    }
    if !op.platforms.is_empty() {
        out.push(format!("- Only on {}.", platforms(&op.platforms)));
    }
    out.push(format!(
        "- Defined in {}, operation {}.",
        code(&settings.source(&module.source)),
        code(&op.name)
    ));
    out
}

/// A link to a related api (its module) or operation (its type).
fn related_link(ir: &Ir, from: &Module, related: &str) -> Option<String> {
    let (api, op_name) = match related.split_once('#') {
        Some((a, o)) => (a, Some(o)),
        None => (related, None),
    };
    let target = ir.modules.iter().find(|m| m.api == api)?;
    let up = "super::".repeat(naming::module_path(&from.api).len());
    let module_path = naming::module_path(&target.api).join("::");
    let shown = code(related);
    Some(
        match op_name.and_then(|n| target.operations.iter().find(|o| o.name == n)) {
            Some(op) if target.api == from.api => {
                format!("- [`{}`] ({shown})", naming::type_name(&op.type_name))
            }
            Some(op) => {
                let ty = naming::type_name(&op.type_name);
                format!("- [`{ty}`]({up}{module_path}::{ty}) ({shown})")
            }
            None => format!("- [{}]({up}{module_path})", code(api)),
        },
    )
}

/// A doctest: the first example's parameters decode into the request and
/// encode back (with the simulator, which gives requests `Deserialize`),
/// and its answer decodes.
fn example(ir: &Ir, settings: &Settings, module: &Module, op: &OperationIr) -> Option<Vec<String>> {
    let krate = settings.doc_crate.as_deref()?;
    let ex = op.examples.first()?;
    let rust_name = naming::type_name(&op.type_name);
    let path = format!(
        "{krate}::{}::{rust_name}",
        naming::module_path(&module.api).join("::")
    );
    let parameters = ex.parameters.to_string();
    let answer = match &ex.outcome {
        crate::ir::Outcome::Succeeded(result) => serde_json::json!({
            "transactionId": "953cfefb-bc72",
            "status": "SUCCEEDED",
            "result": result,
        }),
        crate::ir::Outcome::Failed(code_) => serde_json::json!({
            "transactionId": "953cfefb-bc72",
            "status": "FAILED",
            "error": {"code": code_, "label": ir.error(*code_).map_or("", |e| e.label.as_str())},
        }),
    };
    let mut lines = vec![
        "```".to_owned(),
        format!("use {krate}::pims_runtime::decode_reply;"),
        format!("use {path};"),
        String::new(),
    ];
    // requests decode (derive `Deserialize`) only with the simulator
    let round_trip = [
        format!("use {krate}::pims_runtime::{{encode_parameters, same_json, serde_json}};"),
        format!("let parameters = {};", raw(&parameters)),
        format!("let request: {rust_name} = serde_json::from_str(parameters)?;"),
        "let sent = serde_json::Value::Object(encode_parameters(&request)?);".to_owned(),
        "assert!(same_json(&sent, &serde_json::from_str(parameters)?), \"{sent}\");".to_owned(),
    ];
    // what comes before the round trip's block: its comment, and its `cfg`
    let head: Option<&[&str]> = match settings.simulator {
        Simulator::Always => {
            Some(&["// the parameters decode into the request, and encode back to the same"])
        }
        Simulator::Feature => Some(&[
            "// with the `simulator` feature, the parameters decode into the request,",
            "// and encode back to the same",
            "#[cfg(feature = \"simulator\")]",
        ]),
        Simulator::Never => None,
    };
    if let Some(head) = head {
        lines.extend(head.iter().map(|l| (*l).to_owned()));
        lines.push("{".to_owned());
        lines.extend(round_trip.iter().map(|l| format!("    {l}")));
        lines.push("}".to_owned());
        lines.push(String::new());
    }
    lines.extend([
        "// the answer decodes".to_owned(),
        format!(
            "let reply = decode_reply::<{rust_name}>({})?;",
            raw(&answer.to_string())
        ),
        "assert_eq!(reply.transaction_id, \"953cfefb-bc72\");".to_owned(),
    ]);
    match &ex.outcome {
        crate::ir::Outcome::Succeeded(_) => {
            lines.push("assert!(reply.outcome.is_ok());".to_owned())
        }
        crate::ir::Outcome::Failed(code_) => lines.push(format!(
            "assert_eq!(reply.outcome.unwrap_err().code(), {code_});"
        )),
    }
    if let Some(e) = op.errors.first().and_then(|c| ir.error(*c)) {
        let failed = serde_json::json!({
            "transactionId": "953cfefb-bc72",
            "status": "FAILED",
            "error": {"code": e.code, "label": e.label},
        });
        lines.push(String::new());
        lines.push(format!(
            "// a failure decodes into {}",
            naming::type_name(&op.error_type)
        ));
        lines.push(format!(
            "let failed = decode_reply::<{rust_name}>({})?;",
            raw(&failed.to_string())
        ));
        lines.push(format!(
            "assert_eq!(failed.outcome.unwrap_err().code(), {});",
            e.code
        ));
    }
    if let (Some(event), Some(_)) = (ex.events.first(), &op.event) {
        let message = serde_json::json!({"transactionId": "953cfefb-bc73", "status": "RESULT", "result": event});
        lines.push(String::new());
        lines.push("// and so do its events".to_owned());
        lines.push(format!(
            "let event = {krate}::pims_runtime::decode_event::<{rust_name}>({})?;",
            raw(&message.to_string())
        ));
        lines.push("assert!(event.outcome.is_ok());".to_owned());
    }
    lines.push("# Ok::<(), Box<dyn std::error::Error>>(())".to_owned());
    lines.push("```".to_owned());
    Some(lines)
}

/// A raw string literal that holds the JSON `text`, with control and bidi
/// characters written as JSON escapes (the same value, and nothing rustc or
/// Markdown could read as a line break or a direction change).
fn raw(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::check::is_hidden_char(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                safe.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            safe.push(c);
        }
    }
    let text = &safe;
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_render_the_markdown_the_book_renders() {
        assert_eq!(
            escape("a leading `+`, *b*, __c__ and [d](https://e.test/(x))\n\n# e"),
            [
                "a leading `+`, *b*, **c** and [d](https://e.test/%28x%29)",
                "",
                "\\# e"
            ]
        );
        assert_eq!(
            inline_markdown("see https://e.test/a_b. & <b> [x](javascript:y) [y](z.rs)"),
            "see [https://e.test/a\\_b](https://e.test/a_b). \\& \\<b\\> \\[x\\](javascript:y) \\[y\\](z.rs)"
        );
    }

    #[test]
    fn markers_without_partners_and_literal_text_stay_text() {
        assert_eq!(
            inline_markdown("a ` b ``` c * d **e*"),
            "a \\` b \\`\\`\\` c \\* d \\*\\*e\\*"
        );
        assert_eq!(
            inline("*a* `b` [c](http://d.test)"),
            "\\*a\\* \\`b\\` \\[c\\]([http://d.test](http://d.test))"
        );
    }

    #[test]
    fn no_paragraph_opens_a_code_block() {
        assert_eq!(escape("``` ``a ```"), ["\\`\\`a"]);
        assert_eq!(
            escape("- ```\n\n1. ~~~"),
            ["\\- \\`\\`\\`", "", "1\\. \\~\\~\\~"]
        );
        assert_eq!(
            escape("a\u{202e}b `c\u{202e}`"),
            ["a\\u{202e}b `c\\u{202e}`"]
        );
    }
}
