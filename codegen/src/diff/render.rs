//! A [`Diff`] for people (human), for pipelines (JSON Lines, GitHub
//! annotations). The changelog in Markdown is the book's
//! (`emit::book::changes`), so that the CLI and the book say the same.
//!
//! Values from a spec are shown with control characters escaped
//! (`emit::printable`): a hostile spec cannot drive a terminal.

use std::fmt::Write as _;

use serde_json::json;

use crate::emit::printable;
use crate::source::{Loc, Sources};

use super::{Change, Diff, Rust, Wire};

/// The sources of both sides, to show locations (`None`: no old spec).
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    /// The old spec's files.
    pub old: Option<&'a Sources>,
    /// The new spec's files.
    pub new: &'a Sources,
}

impl Sides<'_> {
    fn in_old(&self, loc: Option<Loc>) -> Option<String> {
        Some(printable(&self.old?.display(loc?).to_string()))
    }

    fn in_new(&self, loc: Option<Loc>) -> Option<String> {
        Some(printable(&self.new.display(loc?).to_string()))
    }
}

/// `pims.vehicle.trips#trips (get) parameters.vin`, or the path alone.
fn place(c: &Change) -> String {
    let path = printable(&c.path);
    match &c.scope {
        Some(s) => {
            let mut out = format!(
                "{}#{} ({})",
                printable(&s.api),
                printable(&s.operation),
                s.verb.as_str()
            );
            if !path.is_empty() {
                out.push(' ');
                out.push_str(&path);
            }
            out
        }
        None => path,
    }
}

/// For people: a headline per change, then what changed, why it is
/// classified so, and where.
pub fn human(diff: &Diff, sides: Sides<'_>) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        let _ = writeln!(
            out,
            "{:<10} {:<5}  {}  {}",
            c.wire.as_str(),
            c.rust.as_str(),
            c.id,
            place(c)
        );
        let _ = writeln!(out, "    {}", printable(&c.message.to_string()));
        let _ = writeln!(out, "    wire: {}", c.wire_reason);
        let _ = writeln!(out, "    rust: {}", c.rust_reason);
        if let Some(v) = &c.old_value {
            let _ = writeln!(out, "    was:  {}", printable(v));
        }
        if let Some(v) = &c.new_value {
            let _ = writeln!(out, "    now:  {}", printable(v));
        }
        if let Some(l) = sides.in_old(c.old) {
            let _ = writeln!(out, "    old:  {l}");
        }
        if let Some(l) = sides.in_new(c.new) {
            let _ = writeln!(out, "    new:  {l}");
        }
    }
    out
}

/// One line: how many changes, the strongest of each kind, the advice.
pub fn summary(diff: &Diff) -> String {
    let (b, c, i) = diff.counts();
    let n = diff.changes.len();
    let rust = diff.strongest_rust().map_or("unchanged".to_owned(), |r| {
        format!("a {} change", r.as_str())
    });
    let advice = diff.advice().message;
    let mut chars = advice.chars();
    let advice: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!(
        "{n} change{}: {b} breaking, {c} compatible, {i} info on the wire; for the generated crate, {rust}. {advice}.",
        if n == 1 { "" } else { "s" },
    )
}

/// One change as JSON.
pub fn to_json(c: &Change, sides: Sides<'_>) -> serde_json::Value {
    let scope = c.scope.as_ref();
    json!({
        "id": c.id.as_str(),
        "api": scope.map(|s| s.api.clone()),
        "operation": scope.map(|s| s.operation.clone()),
        "verb": scope.map(|s| s.verb.as_str()),
        "component": scope.map(|s| s.component.clone()),
        "path": c.path,
        "wire": c.wire.as_str(),
        "wire_reason": c.wire_reason,
        "rust": c.rust.as_str(),
        "rust_reason": c.rust_reason,
        "message": c.message.to_string(),
        "old_value": c.old_value,
        "new_value": c.new_value,
        "old": sides.in_old(c.old),
        "new": sides.in_new(c.new),
    })
}

/// JSON Lines: one object per change.
pub fn json_lines(diff: &Diff, sides: Sides<'_>) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        out.push_str(&to_json(c, sides).to_string());
        out.push('\n');
    }
    out
}

/// GitHub's escaping of an annotation's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of an annotation's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub workflow annotations: `error` for what breaks apps on the wire,
/// `warning` for a major change of the generated crate, `notice` otherwise.
/// Each points into the new spec where it can (the working tree), else the old.
pub fn github(diff: &Diff, sides: Sides<'_>) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        let level = match (c.wire, c.rust) {
            (Wire::Breaking, _) => "error",
            (_, Rust::Major) => "warning",
            _ => "notice",
        };
        let mut props = Vec::new();
        let located = match (c.new, c.old, sides.old) {
            (Some(l), _, _) => Some((sides.new, l)),
            (None, Some(l), Some(old)) => Some((old, l)),
            _ => None,
        };
        if let Some((sources, loc)) = located {
            let file = crate::source::display_path(sources.path(loc.file));
            props.push(format!("file={}", escape_property(&printable(&file))));
            if loc.line > 0 {
                props.push(format!("line={},col={}", loc.line, loc.col));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!(
                "{} ({} on the wire, rust {})",
                c.id,
                c.wire.as_str(),
                c.rust.as_str()
            ))
        ));
        let text = format!(
            "{}: {}\nwire: {}\nrust: {}",
            place(c),
            printable(&c.message.to_string()),
            c.wire_reason,
            c.rust_reason
        );
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), escape_data(&text));
    }
    out
}
