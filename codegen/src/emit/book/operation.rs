//! The page of one operation, in the order of the SDK's reference pages:
//! availability, component, security, description, input parameters, output
//! data, errors, code samples and messages; then where the spec defines it.

use std::fmt::Write as _;

use crate::ir::{Deprecation, Ir, Module, OperationIr, Ty, TyKind, TypeRef};
use crate::spec::Verb;

use super::fields::{self, Rows};
use super::samples::Kind;
use super::{Site, md, samples};

/// The markdown of the page of `op` (without the `@generated` line).
pub fn page(site: &Site<'_>, module: &Module, op: &OperationIr) -> String {
    let path = site.operation_path(module, op);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md::heading(&site.page_title(module, op)));
    out.push_str(&facts(site, &path, module, op));
    if let Some(d) = &op.description {
        let _ = writeln!(out, "\n{}", md::paragraphs(d));
    }
    out.push_str(&related(site, &path, op));
    out.push_str(&inputs(site.ir, module, op));
    out.push_str(&outputs(site.ir, module, op));
    out.push_str(&errors(site, &path, op));
    out.push_str(&code_samples(site.ir, module, op));
    out.push_str(&messages(site.ir, op));
    out
}

/// The availability list: since, last update, deprecation, component,
/// call, compatibility, platforms, security, where it is defined.
fn facts(site: &Site<'_>, path: &str, module: &Module, op: &OperationIr) -> String {
    let mut items = vec![
        format!("**Available since:** {}", op.since),
        format!("**Last update:** {}", op.updated.unwrap_or(op.since)),
        format!("**Deprecated:** {}", deprecation(op.deprecated.as_ref())),
        format!(
            "**Component:** {}",
            site.component_link(path, &op.component)
        ),
        format!("**Call:** {}", call(module, op)),
    ];
    if !op.compatibility.is_empty() {
        items.push(format!(
            "**Compatibility:** {}",
            md::inline(&op.compatibility.join(", "))
        ));
    }
    let platforms = if op.platforms.is_empty() {
        "iOS or Android".to_owned()
    } else {
        format!("{} only", crate::emit::docs::platforms(&op.platforms))
    };
    items.push(format!("**Platforms:** {platforms}"));
    items.push(format!("**Security:** {}", security(site.ir, &op.security)));
    items.push(format!(
        "**Defined in:** {}",
        md::code(&site.defined_in(module))
    ));
    items.iter().map(|i| format!("- {i}\n")).collect()
}

/// `no`, `yes`, or `yes: the reason`.
fn deprecation(d: Option<&Deprecation>) -> String {
    match d {
        None => "no".to_owned(),
        Some(Deprecation::Yes) => "yes".to_owned(),
        Some(Deprecation::Because(reason)) => format!("yes: {}", md::markdown(reason)),
    }
}

/// `` `pims.get` `` on the api, with the selector and, for subscriptions, how to end them.
fn call(module: &Module, op: &OperationIr) -> String {
    let mut out = format!(
        "{} on {}",
        md::code(&format!("pims.{}", op.verb.as_str())),
        md::code(&module.api)
    );
    if !op.selector.is_empty() {
        let selector: Vec<String> = op
            .selector
            .iter()
            .map(|(k, v)| md::code(&format!("{k}: {}", fields::scalar_text(v))))
            .collect();
        let _ = write!(out, ", selected by {}", selector.join(" and "));
    }
    if op.verb == Verb::Subscribe {
        let _ = write!(
            out,
            "; {} ends the subscriptions",
            md::code(&format!("pims.unsubscribe(\"{}\")", module.api))
        );
    }
    out
}

/// The securities with what each requires, or `none`.
fn security(ir: &Ir, names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    names
        .iter()
        .map(|name| {
            let described = ir
                .securities
                .iter()
                .find(|s| s.name == *name)
                .and_then(|s| s.description.as_deref());
            match described {
                Some(d) => format!("{} ({})", md::inline(name), md::markdown(d)),
                None => md::inline(name),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Links to the related apis and operations.
fn related(site: &Site<'_>, path: &str, op: &OperationIr) -> String {
    if op.related.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## See also\n\n");
    for r in &op.related {
        let _ = writeln!(out, "- {}", site.related_link(path, r));
    }
    out
}

/// The input parameters: the selector keys, then the parameters and what they contain.
fn inputs(ir: &Ir, module: &Module, op: &OperationIr) -> String {
    let mut rows = Rows::new(ir, module);
    for (key, value) in &op.selector {
        rows.selector(key, value);
    }
    rows.fields("", &op.params);
    let mut out = String::from("\n## Input parameters\n\n");
    if rows.rows.is_empty() {
        out.push_str("No parameters\n");
    } else {
        let cells: Vec<Vec<String>> = rows.rows.into_iter().map(fields::Row::cells).collect();
        out.push_str(&md::table(&fields::HEADER, &cells));
    }
    out
}

/// The output data, and for subscriptions the data of each event.
fn outputs(ir: &Ir, module: &Module, op: &OperationIr) -> String {
    let mut out = String::from("\n## Output data\n\n");
    out.push_str(&value_table(ir, module, op.result.as_ref()));
    if let Some(event) = &op.event {
        out.push_str("\n## Event data\n\nWhat each `RESULT` message carries.\n\n");
        out.push_str(&value_table(ir, module, event.as_ref()));
    }
    out
}

/// The table of a result or an event, or `No data`.
fn value_table(ir: &Ir, module: &Module, ty: Option<&Ty>) -> String {
    let Some(ty) = ty else {
        return "No data\n".to_owned();
    };
    let mut rows = Rows::new(ir, module);
    rows.value(ty);
    let mut out = String::new();
    if let TyKind::Ref(r @ TypeRef::Named(name)) = &ty.kind
        && let Some(doc) = ir.resolve(module, r).and_then(|d| d.doc.as_deref())
    {
        let _ = writeln!(out, "{}: {}\n", md::code(name), md::paragraphs(doc));
    }
    if ty.nullable {
        out.push_str("It may be `null`.\n\n");
    }
    if rows.rows.is_empty() {
        out.push_str("An empty object\n");
    } else {
        let cells: Vec<Vec<String>> = rows.rows.into_iter().map(fields::Row::cells).collect();
        out.push_str(&md::table(&fields::OUTPUT_HEADER, &cells));
    }
    out
}

/// The error table: code and exact label of every listed error.
fn errors(site: &Site<'_>, path: &str, op: &OperationIr) -> String {
    let mut out = String::from("\n## Errors\n\n");
    if op.errors.is_empty() {
        out.push_str("No documented errors\n");
        return out;
    }
    let catalogue = md::relative(path, super::ERRORS);
    let rows: Vec<Vec<String>> = op
        .errors
        .iter()
        .map(|code| match site.ir.error(*code) {
            Some(e) => vec![
                format!("[{code}]({catalogue}#{})", super::error_anchor(*code)),
                md::cell(&e.label),
            ],
            None => vec![code.to_string(), String::new()],
        })
        .collect();
    out.push_str(&md::table(&["Error Code", "Error Label"], &rows));
    let _ = writeln!(
        out,
        "\nA code not listed here decodes as the catalogue knows it: see the {}.",
        md::link("error catalogue", &catalogue)
    );
    out
}

/// Kotlin, Swift and Rust calls.
fn code_samples(ir: &Ir, module: &Module, op: &OperationIr) -> String {
    let mut out = String::from("\n## Code example\n");
    if let Some(summary) = op.examples.first().and_then(|e| e.summary.as_deref()) {
        let _ = writeln!(out, "\n{}", md::paragraphs(&format!("Example: {summary}")));
    }
    let _ = write!(
        out,
        "\n### Kotlin\n\n{}",
        md::fenced("kotlin", &samples::kotlin(&module.api, op))
    );
    let _ = write!(
        out,
        "\n### Swift\n\n{}",
        md::fenced("swift", &samples::swift(&module.api, op))
    );
    let _ = write!(
        out,
        "\n### Rust\n\nWith the generated SDK (`pims-sdk`) and `pims-runtime`:\n\n{}",
        md::fenced("rust,ignore", &samples::rust(ir, module, op))
    );
    out
}

/// The documented messages, one JSON block each, under a heading per kind.
fn messages(ir: &Ir, op: &OperationIr) -> String {
    let mut out = String::from("\n## Messages\n");
    let mut last: Option<&str> = None;
    for (kind, message) in samples::messages(ir, op) {
        let section = match kind {
            Kind::Succeeded => {
                "\n### Succeeded\n\nThe representation of the `succeeded` message as JSON:\n"
            }
            Kind::Failed(_) => {
                "\n### Failed\n\nThe representation of the `failed` messages as JSON:\n"
            }
            Kind::Result => "\n### Result\n\nThe `RESULT` events of the example, as JSON:\n",
        };
        if last != Some(section) {
            out.push_str(section);
            last = Some(section);
        }
        if let Kind::Failed(code) = kind {
            let _ = write!(out, "\n#### FAILED: {code}\n");
        }
        out.push('\n');
        out.push_str(&md::fenced("json", &super::json_text(&message)));
    }
    out
}
