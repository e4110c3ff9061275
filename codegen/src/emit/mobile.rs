//! What the Kotlin and Swift emitters share: the reference text of an
//! operation as Markdown (KDoc and DocC are both Markdown), escaped like
//! rustdoc's (`super::docs`), and alias resolution.

use super::Settings;
use super::docs::{self, code, escape, inline};
use crate::ir::{Deprecation, Ir, Module, OperationIr, Ty, TyKind, TypeDefKind, TypeRef};

/// Spec text as doc lines: rustdoc's escaping, plus a leading `@` (a KDoc
/// tag) escaped.
pub fn text(text: &str) -> Vec<String> {
    escape(text).into_iter().map(no_tag).collect()
}

/// A doc line that cannot start a KDoc block tag or a DocC callout.
pub fn no_tag(line: String) -> String {
    if line.starts_with('@') {
        format!("\\{line}")
    } else {
        line
    }
}

/// The doc of an operation's request: what it does, the raw call, when it
/// is available, and the codes it lists.
pub fn operation_doc(
    ir: &Ir,
    settings: &Settings,
    module: &Module,
    op: &OperationIr,
    variant: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = &op.description {
        lines.extend(text(d));
        lines.push(String::new());
    }
    let mut selector: Vec<String> = op
        .selector
        .iter()
        .map(|(k, v)| format!("\"{k}\": {}", v.to_json()))
        .collect();
    if !op.params.is_empty() {
        selector.push("…".to_owned());
    }
    lines.push(code(&format!(
        "pims.{}(\"{}\", {{{}}})",
        op.verb.as_str(),
        module.api,
        selector.join(", ")
    )));
    lines.push(String::new());
    let mut since = format!("- Available since {}", op.since);
    if let Some(u) = &op.updated {
        since.push_str(&format!(", last updated in {u}"));
    }
    since.push('.');
    match &op.deprecated {
        Some(Deprecation::Yes) => since.push_str(" **Deprecated.**"),
        Some(Deprecation::Because(r)) => {
            since.push_str(&format!(" **Deprecated:** {}", inline(r)));
        }
        None => {}
    }
    lines.push(since);
    lines.push(format!("- Component: {}.", code(&op.component)));
    if !op.security.is_empty() {
        let list: Vec<String> = op.security.iter().map(|s| code(s)).collect();
        lines.push(format!("- Security: {}.", list.join(", ")));
    }
    if !op.compatibility.is_empty() {
        let list: Vec<String> = op.compatibility.iter().map(|s| code(s)).collect();
        lines.push(format!("- Vehicles: {}.", list.join(", ")));
    }
    if !op.platforms.is_empty() {
        lines.push(format!("- Only on {}.", docs::platforms(&op.platforms)));
    }
    lines.push(format!(
        "- Defined in {}, operation {}.",
        code(&settings.source(&module.source)),
        code(&op.name)
    ));
    let errors: Vec<String> = op
        .errors
        .iter()
        .filter_map(|c| ir.error(*c))
        .map(|e| {
            format!(
                "- `{}` {}: {}",
                e.code,
                code(&variant(&e.name)),
                code(&e.label)
            )
        })
        .collect();
    if !errors.is_empty() {
        lines.push(String::new());
        lines.push("Errors:".to_owned());
        lines.push(String::new());
        lines.extend(errors);
    }
    lines
}

/// Follows named aliases to the type they stand for (bounded, for cycles):
/// Kotlin cannot nest a `typealias` in the `Types` object, so aliases are
/// written as what they stand for.
pub fn unalias<'a>(ir: &'a Ir, module: Option<&'a Module>, ty: &'a Ty) -> std::borrow::Cow<'a, Ty> {
    let mut current = std::borrow::Cow::Borrowed(ty);
    for _ in 0..32 {
        let TyKind::Ref(r) = &current.kind else {
            break;
        };
        let def = match (r, module) {
            (TypeRef::Named(_), _) => ir.named(r.name()),
            (TypeRef::Local(_), Some(m)) => ir.resolve(m, r),
            (TypeRef::Local(_), None) => None,
        };
        match def.map(|d| &d.kind) {
            Some(TypeDefKind::Alias(inner)) => {
                let nullable = current.nullable || inner.nullable;
                current = std::borrow::Cow::Owned(Ty {
                    kind: inner.kind.clone(),
                    nullable,
                });
            }
            _ => break,
        }
    }
    current
}

/// The pieces of a label template: text, or a placeholder as written, in
/// order (the runtime's rule, `pims_runtime::label`).
pub fn label_pieces(label: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = label;
    for hole in crate::naming::placeholders(label) {
        let Some(at) = rest.find(hole) else {
            break;
        };
        if at > 0 {
            out.push((false, rest[..at].to_owned()));
        }
        out.push((true, hole.to_owned()));
        rest = &rest[at + hole.len()..];
    }
    if !rest.is_empty() {
        out.push((false, rest.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_follow_the_runtime() {
        assert_eq!(
            label_pieces("Missing [PARAMETER] parameter"),
            [
                (false, "Missing ".to_owned()),
                (true, "[PARAMETER]".to_owned()),
                (false, " parameter".to_owned())
            ]
        );
        assert_eq!(
            label_pieces("Value [%] out of range [Min]"),
            [
                (false, "Value [%] out of range ".to_owned()),
                (true, "[Min]".to_owned())
            ]
        );
        assert_eq!(label_pieces("[a][b]").len(), 2);
        assert_eq!(
            label_pieces("Server Error"),
            [(false, "Server Error".to_owned())]
        );
    }

    #[test]
    fn no_tag_escapes_a_leading_at() {
        assert_eq!(text("@param x"), ["\\@param x"]);
        assert_eq!(text("mail me @ home"), ["mail me @ home"]);
    }
}
