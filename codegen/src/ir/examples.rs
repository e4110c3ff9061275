//! Whole examples of an operation: as written, or built from its fields'
//! examples where the spec gives none.

use serde_json::{Map, Value};

use crate::check::TypeTable;
use crate::spec::{Field, NamedMap, Operation, Scalar, Shape, Type, TypeKind};

use super::{ExampleIr, OperationIr, Outcome};

/// The operation's examples, selector included.
pub(super) fn build(table: &TypeTable<'_>, op: &Operation, ir: &OperationIr) -> Vec<ExampleIr> {
    let selector = || {
        let mut map = Map::new();
        for (k, v) in &ir.selector {
            map.insert(k.clone(), v.to_json());
        }
        map
    };
    if !op.examples.is_empty() {
        return op
            .examples
            .iter()
            .map(|ex| {
                let mut parameters = selector();
                if let Some(Value::Object(given)) =
                    ex.parameters.as_ref().map(crate::yaml::Node::to_json)
                {
                    for (k, v) in given {
                        parameters.insert(k, v);
                    }
                }
                let outcome = match (&ex.error, &ex.result) {
                    (Some(code), _) => Outcome::Failed(code.value),
                    (None, Some(result)) => Outcome::Succeeded(result.to_json()),
                    (None, None) => Outcome::Succeeded(result_example(table, op)),
                };
                ExampleIr {
                    summary: ex.summary.as_ref().map(|s| s.value.clone()),
                    parameters: Value::Object(parameters),
                    outcome,
                    events: ex
                        .events
                        .iter()
                        .flatten()
                        .map(crate::yaml::Node::to_json)
                        .collect(),
                    built: false,
                }
            })
            .collect();
    }
    let mut parameters = selector();
    for (k, v) in object_example(table, &op.parameters, false, 0) {
        parameters.insert(k, v);
    }
    let events = match &op.events {
        Some(Shape::Type(t)) => vec![value_example(table, t, 0)],
        _ => Vec::new(),
    };
    vec![ExampleIr {
        summary: None,
        parameters: Value::Object(parameters),
        outcome: Outcome::Succeeded(result_example(table, op)),
        events,
        built: true,
    }]
}

fn result_example(table: &TypeTable<'_>, op: &Operation) -> Value {
    match &op.result {
        Some(Shape::Type(t)) => value_example(table, t, 0),
        _ => Value::Null,
    }
}

/// An object from its fields: the written examples, nested objects built,
/// required fields without an example made up from their type. Optional
/// fields appear only where they have an example (`with_optional_objects`
/// also builds optional nested objects).
fn object_example(
    table: &TypeTable<'_>,
    fields: &NamedMap<Field>,
    with_optional_objects: bool,
    depth: usize,
) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        let value = match &f.value.example {
            Some(example) => Some(example.to_json()),
            None => {
                let resolved = table.resolve(&f.value.ty);
                let structured = matches!(resolved.kind, TypeKind::Object(_) | TypeKind::Array(_));
                (f.value.required || (structured && with_optional_objects))
                    .then(|| value_example(table, &f.value.ty, depth + 1))
            }
        };
        if let Some(value) = value {
            out.insert(f.name.value.clone(), value);
        }
    }
    out
}

/// A value of `ty`, from examples where there are some.
fn value_example(table: &TypeTable<'_>, ty: &Type, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    let ty = table.resolve(ty);
    match &ty.kind {
        TypeKind::Object(o) => Value::Object(object_example(table, &o.fields, true, depth)),
        TypeKind::Array(a) => Value::Array(vec![value_example(table, &a.items, depth + 1)]),
        TypeKind::String(s) => {
            if let Some(Scalar::Str(first)) = s
                .values
                .as_ref()
                .and_then(|v| v.first())
                .map(|v| &v.value.value)
            {
                return Value::String(first.clone());
            }
            let made_up = match s.format.as_deref().map(String::as_str) {
                Some("date-time") => "2023-04-01T12:00:00.000Z",
                Some("date") => "2023-04-01",
                Some("time") => "12:00:00",
                Some("duration") => "PT0S",
                Some("email") => "user@example.com",
                Some("uri") => "https://example.com",
                _ => "",
            };
            Value::String(made_up.to_owned())
        }
        TypeKind::Integer(n) | TypeKind::Number(n) => {
            if let Some(first) = n.values.as_ref().and_then(|v| v.first()) {
                return first.value.value.to_json();
            }
            let low = n.minimum.as_ref().map_or(0.0, |m| m.value);
            if matches!(ty.kind, TypeKind::Integer(_)) {
                Value::from(low.ceil() as i64)
            } else {
                serde_json::Number::from_f64(low).map_or(Value::Null, Value::Number)
            }
        }
        TypeKind::Boolean(_) => Value::Bool(true),
        TypeKind::Any => Value::Object(Map::new()),
        TypeKind::Named(_) => Value::Null,
    }
}
