//! E307: examples fit their types: kind, enumeration, pattern, bounds, and for
//! objects the fields. An unquoted `0612345678` where a string is expected is
//! the integer 612345678 to YAML: the diagnostic says to quote it.

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::Loc;
use crate::spec::{Field, Operation, Scalar, Shape, Type, TypeKind, Verb};
use crate::yaml::{Node, Value};

use super::TypeTable;

/// How a value does not fit a type.
#[derive(Debug, Clone, PartialEq)]
pub struct Misfit {
    /// Where, in the value.
    pub loc: Loc,
    /// The dotted path inside the value (empty at its root).
    pub path: String,
    /// What the type wanted.
    pub expected: String,
    /// What the value is.
    pub found: String,
    /// A likely fix.
    pub help: Option<String>,
    /// Whether the only problem is a member outside an enumeration.
    pub not_member: bool,
}

/// Every way `node` does not fit `ty` (empty when it fits).
pub fn fits(types: &TypeTable<'_>, ty: &Type, node: &Node) -> Vec<Misfit> {
    let mut out = Vec::new();
    fit(types, ty, node, String::new(), 0, &mut out);
    out
}

fn misfit(node: &Node, path: &str, expected: impl Into<String>) -> Misfit {
    let found = match &node.value {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => format!(
            "{} {}",
            node.kind(),
            node.plain.clone().unwrap_or_else(|| node.show())
        ),
        Value::Str(s) => format!("the string {s:?}"),
        _ => node.kind().to_owned(),
    };
    Misfit {
        loc: node.loc,
        path: path.to_owned(),
        expected: expected.into(),
        found,
        help: None,
        not_member: false,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn fit(
    types: &TypeTable<'_>,
    ty: &Type,
    node: &Node,
    path: String,
    depth: usize,
    out: &mut Vec<Misfit>,
) {
    if depth > 64 {
        return;
    }
    if matches!(node.value, Value::Null) {
        if !ty.nullable && !matches!(ty.kind, TypeKind::Any) {
            let resolved = types.resolve(ty);
            if !resolved.nullable {
                out.push(misfit(
                    node,
                    &path,
                    format!("{} (the type is not `nullable`)", describe(ty)),
                ));
            }
        }
        return;
    }
    match &ty.kind {
        TypeKind::Named(name) => {
            if let Some(inner) = types.get(name) {
                fit(types, inner, node, path, depth + 1, out);
            }
        }
        TypeKind::Any => {}
        TypeKind::String(s) => {
            let Value::Str(text) = &node.value else {
                let mut m = misfit(node, &path, "a string");
                if let Some(plain) = &node.plain
                    && !matches!(node.value, Value::Seq(_) | Value::Map(_))
                {
                    m.help = Some(match node.value {
                        Value::Int(i)
                            if plain.trim_start_matches(['+', '-']).starts_with('0')
                                && plain.len() > 1 =>
                        {
                            format!(
                                "an unquoted {plain} is the integer {i} to YAML: quote it: \"{plain}\""
                            )
                        }
                        _ => format!("quote it: \"{plain}\""),
                    });
                }
                out.push(m);
                return;
            };
            if let Some(values) = &s.values
                && !values
                    .iter()
                    .any(|v| v.value.value == Scalar::Str(text.clone()))
            {
                let members: Vec<String> =
                    values.iter().map(|v| v.value.value.to_string()).collect();
                let mut m = misfit(
                    node,
                    &path,
                    format!("one of {}", crate::diag::one_of(&members)),
                );
                m.help = did_you_mean(text, members.iter().map(String::as_str));
                m.not_member = true;
                out.push(m);
            }
            if let Some(p) = &s.pattern
                && let Ok(re) = regex_lite::Regex::new(p)
                && !re.is_match(text)
            {
                out.push(misfit(
                    node,
                    &path,
                    format!("a string matching `{}`", p.as_str()),
                ));
            }
            let len = text.chars().count() as u64;
            if let Some(min) = &s.min_length
                && len < min.value
            {
                out.push(misfit(
                    node,
                    &path,
                    format!("at least {} characters", min.value),
                ));
            }
            if let Some(max) = &s.max_length
                && len > max.value
            {
                out.push(misfit(
                    node,
                    &path,
                    format!("at most {} characters", max.value),
                ));
            }
        }
        TypeKind::Integer(n) | TypeKind::Number(n) => {
            let integer = matches!(ty.kind, TypeKind::Integer(_));
            let value = match &node.value {
                Value::Int(i) => *i as f64,
                Value::Float(f) if !integer => *f,
                Value::Str(s) if s.trim().parse::<f64>().is_ok() => {
                    let mut m =
                        misfit(node, &path, if integer { "an integer" } else { "a number" });
                    m.help = Some(format!("write {} without quotes", s.trim()));
                    out.push(m);
                    return;
                }
                _ => {
                    out.push(misfit(
                        node,
                        &path,
                        if integer { "an integer" } else { "a number" },
                    ));
                    return;
                }
            };
            if let Some(values) = &n.values
                && !values.iter().any(|v| match v.value.value {
                    Scalar::Int(i) => i as f64 == value,
                    Scalar::Num(x) => x == value,
                    _ => false,
                })
            {
                let members: Vec<String> =
                    values.iter().map(|v| v.value.value.to_string()).collect();
                let mut m = misfit(
                    node,
                    &path,
                    format!("one of {}", crate::diag::one_of(&members)),
                );
                m.not_member = true;
                out.push(m);
            }
            if let Some(min) = &n.minimum
                && value < min.value
            {
                out.push(misfit(node, &path, format!("at least {}", min.value)));
            }
            if let Some(max) = &n.maximum
                && value > max.value
            {
                out.push(misfit(node, &path, format!("at most {}", max.value)));
            }
        }
        TypeKind::Boolean(_) => {
            if !matches!(node.value, Value::Bool(_)) {
                let mut m = misfit(node, &path, "`true` or `false`");
                if let Some(s) = node.as_str()
                    && matches!(s, "true" | "false")
                {
                    m.help = Some(format!("write {s} without quotes"));
                }
                out.push(m);
            }
        }
        TypeKind::Array(a) => {
            let Value::Seq(items) = &node.value else {
                out.push(misfit(node, &path, "a list"));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                fit(
                    types,
                    &a.items,
                    item,
                    format!("{path}[{i}]"),
                    depth + 1,
                    out,
                );
            }
            let n = items.len() as u64;
            if let Some(min) = &a.min_items
                && n < min.value
            {
                out.push(misfit(node, &path, format!("at least {} items", min.value)));
            }
            if let Some(max) = &a.max_items
                && n > max.value
            {
                out.push(misfit(node, &path, format!("at most {} items", max.value)));
            }
        }
        TypeKind::Object(o) => {
            let Value::Map(entries) = &node.value else {
                out.push(misfit(node, &path, "a map"));
                return;
            };
            fit_fields(
                types,
                &o.fields,
                o.additional,
                node,
                entries,
                &path,
                depth,
                out,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)] // reason: one recursive walk, its state spelled out
fn fit_fields(
    types: &TypeTable<'_>,
    fields: &crate::spec::NamedMap<Field>,
    additional: bool,
    node: &Node,
    entries: &[(Node, Node)],
    path: &str,
    depth: usize,
    out: &mut Vec<Misfit>,
) {
    for (key, value) in entries {
        let name = key.key_text();
        match fields.get(&name) {
            Some(f) => fit(types, &f.value.ty, value, join(path, &name), depth + 1, out),
            None if additional => {}
            None => {
                let mut m = misfit(key, path, "one of the type's fields");
                m.found = format!("the key `{name}`");
                m.help = did_you_mean(&name, fields.names());
                out.push(m);
            }
        }
    }
    for f in fields {
        if f.value.required && !entries.iter().any(|(k, _)| k.key_text() == *f.name) {
            let mut m = misfit(
                node,
                path,
                format!("the required field `{}`", f.name.as_str()),
            );
            m.found = "no such key".to_owned();
            out.push(m);
        }
    }
}

fn describe(ty: &Type) -> String {
    match &ty.kind {
        TypeKind::Named(n) => format!("a `{n}`"),
        other => format!("a value of type `{}`", other.keyword()),
    }
}

/// Reports each misfit: an error, or a warning for a member outside an
/// enumeration of received data.
fn report(misfits: Vec<Misfit>, what: &str, received: bool, d: &mut Diagnostics) {
    for m in misfits {
        let at = if m.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", m.path)
        };
        let diag = if m.not_member && received {
            Diagnostic::warning(
                Code::ExampleNotMember,
                m.loc,
                format!("{what}{at} is not a member of its enumeration"),
            )
        } else {
            Diagnostic::error(
                Code::ExampleMismatch,
                m.loc,
                format!(
                    "{what}{at} does not fit {}",
                    if what.contains("parameter") {
                        "the operation's parameters"
                    } else {
                        "its type"
                    }
                ),
            )
        };
        d.push(diag.expected(m.expected).found(m.found).maybe_help(m.help));
    }
}

/// Field examples and defaults, through inline objects and arrays (named types
/// are checked where they are declared).
fn field_examples(
    types: &TypeTable<'_>,
    fields: &crate::spec::NamedMap<Field>,
    received: bool,
    d: &mut Diagnostics,
) {
    for f in fields {
        if let Some(example) = &f.value.example {
            report(
                fits(types, &f.value.ty, example),
                "the example",
                received,
                d,
            );
        }
        if let Some(default) = &f.value.default {
            report(
                fits(types, &f.value.ty, default),
                "the default",
                received,
                d,
            );
        }
        type_examples(types, &f.value.ty, received, d);
    }
}

fn type_examples(types: &TypeTable<'_>, ty: &Type, received: bool, d: &mut Diagnostics) {
    match &ty.kind {
        TypeKind::Object(o) => field_examples(types, &o.fields, received, d),
        TypeKind::Array(a) => type_examples(types, &a.items, received, d),
        _ => {}
    }
}

/// Named types' field examples (checked once, where declared).
pub(super) fn named_type_examples(types: &TypeTable<'_>, ty: &Type, d: &mut Diagnostics) {
    type_examples(types, ty, true, d);
}

/// The examples of one operation: its fields', and its whole examples.
pub(super) fn operation_examples(types: &TypeTable<'_>, op: &Operation, d: &mut Diagnostics) {
    field_examples(types, &op.parameters, false, d);
    for shape in [&op.result, &op.events].into_iter().flatten() {
        if let Shape::Type(t) = shape {
            type_examples(types, t, true, d);
        }
    }
    for example in &op.examples {
        whole_example(types, op, example, d);
    }
}

fn whole_example(
    types: &TypeTable<'_>,
    op: &Operation,
    ex: &crate::spec::Example,
    d: &mut Diagnostics,
) {
    if let Some(params) = &ex.parameters
        && let Value::Map(entries) = &params.value
    {
        // selector keys may be written; they must carry the selector's value
        let mut rest = Vec::new();
        for (k, v) in entries {
            let name = k.key_text();
            match op.selector.get(&name) {
                Some(s) => {
                    let matches = match (&s.value.value, &v.value) {
                        (Scalar::Str(a), Value::Str(b)) => a == b,
                        (Scalar::Int(a), Value::Int(b)) => a == b,
                        (Scalar::Bool(a), Value::Bool(b)) => a == b,
                        _ => false,
                    };
                    if !matches {
                        d.push(
                            Diagnostic::error(
                                Code::ExampleMismatch,
                                v.loc,
                                format!("the example's `{name}` is not the selector's value"),
                            )
                            .expected(format!(
                                "{} (or leave it out: selector values are added)",
                                s.value.value
                            ))
                            .found(v.show()),
                        );
                    }
                }
                None => rest.push((k.clone(), v.clone())),
            }
        }
        let mut misfits = Vec::new();
        fit_fields(
            types,
            &op.parameters,
            false,
            params,
            &rest,
            "",
            0,
            &mut misfits,
        );
        report(misfits, "a parameter of the example", false, d);
    }
    if let Some(code) = &ex.error {
        if !op.errors.iter().any(|c| c.value == code.value) {
            let listed: Vec<String> = op.errors.iter().map(|c| c.value.to_string()).collect();
            d.push(
                Diagnostic::error(
                    Code::ExampleMismatch,
                    code.loc,
                    format!(
                        "the example fails with {}, which the operation does not list",
                        code.value
                    ),
                )
                .expected(format!(
                    "one of the operation's `errors`: {}",
                    crate::diag::one_of(&listed)
                )),
            );
        }
        if ex.result.is_some() {
            d.push(
                Diagnostic::error(
                    Code::ExampleMismatch,
                    code.loc,
                    "an example has a `result` or an `error`, not both",
                )
                .help("split it into two examples"),
            );
        }
    }
    if let Some(result) = &ex.result {
        match &op.result {
            None | Some(Shape::None(_)) => {
                let empty = match &result.value {
                    Value::Null => true,
                    Value::Map(e) => e.is_empty(),
                    _ => false,
                };
                if !empty {
                    d.push(
                        Diagnostic::error(
                            Code::ExampleMismatch,
                            result.loc,
                            "the operation returns no data, but the example's result has some",
                        )
                        .expected("`{}` or `null`")
                        .found(result.kind()),
                    );
                }
            }
            Some(Shape::Type(t)) => {
                report(fits(types, t, result), "the example's result", false, d)
            }
        }
    }
    if let Some(events) = &ex.events {
        if op.verb.value != Verb::Subscribe {
            d.push(
                Diagnostic::error(
                    Code::EventsNotSubscribe,
                    ex.loc,
                    "`events` in an example of an operation that is not a `subscribe`",
                )
                .help("remove `events`"),
            );
        } else if let Some(Shape::Type(t)) = &op.events {
            for e in events {
                report(fits(types, t, e), "the example's event", false, d);
            }
        }
    }
}
