//! YAML nodes to the spec model, reporting every problem of shape: unknown or
//! misspelt keys, missing keys, values of the wrong kind, repeated keys.
//!
//! Decoding never stops at the first problem: what can be read is read, and
//! what cannot is reported and left out, so one run shows everything.

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, one_of};
use crate::source::{FileId, Loc};
use crate::yaml::{Node, Value};

use super::{
    ApiFile, ArrayType, BooleanType, Component, Connectivity, Deprecated, EnumValue, ErrorDef,
    Example, Field, Manifest, Named, NamedMap, NumberType, ObjectType, Operation, Platform, Scalar,
    Sdk, Security, Shape, Sp, StringType, Type, TypeKind, Verb, Version,
};

/// Keys of `pims.yaml`.
pub const MANIFEST_KEYS: &[&str] = &["sdk", "securities", "components", "errors", "types"];
/// Keys of `sdk:`.
pub const SDK_KEYS: &[&str] = &["name", "version"];
/// Keys of a security.
pub const SECURITY_KEYS: &[&str] = &["description"];
/// Keys of a component.
pub const COMPONENT_KEYS: &[&str] = &[
    "title",
    "description",
    "security",
    "compatibility",
    "connectivity",
    "since",
    "updated",
];
/// Keys of a catalogue error.
pub const ERROR_KEYS: &[&str] = &[
    "code",
    "name",
    "category",
    "label",
    "sub_codes",
    "description",
];
/// Keys of an api file.
pub const API_KEYS: &[&str] = &["api", "component", "description", "types", "operations"];
/// Keys of an operation.
pub const OPERATION_KEYS: &[&str] = &[
    "name",
    "title",
    "verb",
    "since",
    "updated",
    "deprecated",
    "component",
    "security",
    "compatibility",
    "platforms",
    "description",
    "related",
    "selector",
    "parameters",
    "result",
    "events",
    "errors",
    "examples",
];
/// Keys of an example.
pub const EXAMPLE_KEYS: &[&str] = &["summary", "parameters", "result", "events", "error"];
/// Keys every type has.
pub const TYPE_KEYS: &[&str] = &["type", "nullable", "description"];
/// Keys a field adds to its type.
pub const FIELD_KEYS: &[&str] = &["required", "example", "default", "since", "platforms"];
/// Keys of an enumeration member written as a map.
pub const ENUM_VALUE_KEYS: &[&str] = &["value", "description", "name"];
/// The built-in kinds and the keys each allows.
pub const KIND_KEYS: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "format",
            "pattern",
            "min_length",
            "max_length",
            "values",
            "unit",
        ],
    ),
    ("integer", &["minimum", "maximum", "values", "unit"]),
    ("number", &["minimum", "maximum", "values", "unit"]),
    ("boolean", &["values"]),
    ("object", &["fields", "additional"]),
    ("array", &["items", "min_items", "max_items"]),
    ("any", &[]),
];

/// The built-in type keywords.
pub fn builtin_kinds() -> impl Iterator<Item = &'static str> {
    KIND_KEYS.iter().map(|(k, _)| *k)
}

/// Decodes `pims.yaml`.
pub fn manifest(node: &Node, file: FileId, d: &mut Diagnostics) -> Option<Manifest> {
    let mut m = MapReader::new(node, "the manifest (pims.yaml)", MANIFEST_KEYS, d)?;
    let sdk = m.required("sdk", d).and_then(|n| sdk(n, d));
    let securities = m
        .get("securities")
        .map(|n| named_map(n, "securities", d, security))
        .unwrap_or_default();
    let components = m
        .get("components")
        .map(|n| named_map(n, "components", d, component))
        .unwrap_or_default();
    let errors = m
        .get("errors")
        .map(|n| list(n, "the error catalogue", d, error_def))
        .unwrap_or_default();
    let types = m
        .get("types")
        .map(|n| named_map(n, "types", d, ty))
        .unwrap_or_default();
    Some(Manifest {
        sdk: sdk?,
        securities,
        components,
        errors,
        types,
        file,
    })
}

fn sdk(node: &Node, d: &mut Diagnostics) -> Option<Sdk> {
    let mut m = MapReader::new(node, "`sdk`", SDK_KEYS, d)?;
    let name = m.required("name", d).and_then(|n| string(n, d));
    let version = m.required("version", d).and_then(|n| version(n, d));
    Some(Sdk {
        name: name?,
        version: version?,
    })
}

fn security(node: &Node, d: &mut Diagnostics) -> Option<Security> {
    let mut m = MapReader::new(node, "a security", SECURITY_KEYS, d)?;
    Some(Security {
        description: m.get("description").and_then(|n| string(n, d)),
    })
}

fn component(node: &Node, d: &mut Diagnostics) -> Option<Component> {
    let mut m = MapReader::new(node, "a component", COMPONENT_KEYS, d)?;
    let title = m.get("title").and_then(|n| string(n, d));
    let description = m.get("description").and_then(|n| string(n, d));
    let security = m
        .get("security")
        .map(|n| list(n, "`security`", d, string))
        .unwrap_or_default();
    let compatibility = m
        .get("compatibility")
        .map(|n| list(n, "`compatibility`", d, string))
        .unwrap_or_default();
    let connectivity = m.get("connectivity").and_then(|n| {
        keyword(
            n,
            "connectivity",
            &[
                ("internet", Connectivity::Internet),
                ("bluetooth", Connectivity::Bluetooth),
            ],
            d,
        )
    });
    let since = m.required("since", d).and_then(|n| version(n, d));
    let updated = m.get("updated").and_then(|n| version(n, d));
    Some(Component {
        title,
        description,
        security,
        compatibility,
        connectivity,
        since: since?,
        updated,
    })
}

fn error_def(node: &Node, d: &mut Diagnostics) -> Option<ErrorDef> {
    let mut m = MapReader::new(node, "a catalogue error", ERROR_KEYS, d)?;
    let code = m.required("code", d).and_then(|n| integer(n, d));
    let name = m.required("name", d).and_then(|n| string(n, d));
    let category = m.required("category", d).and_then(|n| string(n, d));
    let label = m.required("label", d).and_then(|n| string(n, d));
    let sub_codes = m
        .get("sub_codes")
        .and_then(|n| boolean(n, d))
        .unwrap_or(false);
    let description = m.get("description").and_then(|n| string(n, d));
    Some(ErrorDef {
        code: code?,
        name: name?,
        category: category?,
        label: label?,
        sub_codes,
        description,
    })
}

/// Decodes an api file.
pub fn api_file(node: &Node, file: FileId, d: &mut Diagnostics) -> Option<ApiFile> {
    let mut m = MapReader::new(node, "an api file", API_KEYS, d)?;
    let api = m.required("api", d).and_then(|n| string(n, d));
    let component = m.required("component", d).and_then(|n| string(n, d));
    let description = m.get("description").and_then(|n| string(n, d));
    let types = m
        .get("types")
        .map(|n| named_map(n, "types", d, ty))
        .unwrap_or_default();
    let operations = m
        .required("operations", d)
        .map(|n| list(n, "`operations`", d, operation))
        .unwrap_or_default();
    Some(ApiFile {
        api: api?,
        component: component?,
        description,
        types,
        operations,
        file,
        path: std::path::PathBuf::new(),
    })
}

fn operation(node: &Node, d: &mut Diagnostics) -> Option<Operation> {
    let mut m = MapReader::new(node, "an operation", OPERATION_KEYS, d)?;
    let name = m.required("name", d).and_then(|n| string(n, d));
    let title = m.get("title").and_then(|n| string(n, d));
    let verb = m.required("verb", d).and_then(|n| verb(n, d));
    let since = m.required("since", d).and_then(|n| version(n, d));
    let updated = m.get("updated").and_then(|n| version(n, d));
    let deprecated = m.get("deprecated").and_then(|n| match &n.value {
        Value::Bool(b) => Some(Sp::new(Deprecated::Flag(*b), n.loc)),
        Value::Str(s) => Some(Sp::new(Deprecated::Reason(s.clone()), n.loc)),
        _ => {
            d.push(wrong_kind(n, "`true`, `false` or the reason as a string"));
            None
        }
    });
    let component = m.get("component").and_then(|n| string(n, d));
    let security = m.get("security").map(|n| list(n, "`security`", d, string));
    let compatibility = m
        .get("compatibility")
        .map(|n| list(n, "`compatibility`", d, string));
    let platforms = m
        .get("platforms")
        .map(|n| list(n, "`platforms`", d, platform));
    let description = m.get("description").and_then(|n| string(n, d));
    let related = m
        .get("related")
        .map(|n| list(n, "`related`", d, string))
        .unwrap_or_default();
    let selector = m
        .get("selector")
        .map(|n| named_map(n, "`selector`", d, scalar))
        .unwrap_or_default();
    let parameters = m
        .get("parameters")
        .map(|n| named_map(n, "`parameters`", d, field))
        .unwrap_or_default();
    let result = m.get("result").and_then(|n| shape(n, d));
    let events = m.get("events").and_then(|n| shape(n, d));
    let errors = m
        .get("errors")
        .map(|n| list(n, "`errors`", d, error_code))
        .unwrap_or_default();
    let examples = m
        .get("examples")
        .map(|n| list(n, "`examples`", d, example))
        .unwrap_or_default();
    let name = name?;
    Some(Operation {
        loc: name.loc,
        name,
        title,
        verb: verb?,
        since: since?,
        updated,
        deprecated,
        component,
        security,
        compatibility,
        platforms,
        description,
        related,
        selector,
        parameters,
        result,
        events,
        errors,
        examples,
    })
}

fn example(node: &Node, d: &mut Diagnostics) -> Option<Example> {
    let mut m = MapReader::new(node, "an example", EXAMPLE_KEYS, d)?;
    let summary = m.get("summary").and_then(|n| string(n, d));
    let parameters = m.get("parameters").and_then(|n| match n.value {
        Value::Map(_) => Some(n.clone()),
        _ => {
            d.push(wrong_kind(n, "the parameters as a map"));
            None
        }
    });
    let result = m.get("result").cloned();
    let events = m.get("events").and_then(|n| match &n.value {
        Value::Seq(items) => Some(items.clone()),
        _ => {
            d.push(wrong_kind(n, "a list of event results"));
            None
        }
    });
    let error = m.get("error").and_then(|n| error_code(n, d));
    Some(Example {
        summary,
        parameters,
        result,
        events,
        error,
        loc: node.loc,
    })
}

fn shape(node: &Node, d: &mut Diagnostics) -> Option<Shape> {
    match &node.value {
        Value::Str(s) if s == "none" => Some(Shape::None(node.loc)),
        Value::Map(_) => ty(node, d).map(Shape::Type),
        Value::Null => {
            d.push(wrong_kind(node, "`none` or a type").help("write `none` when there is no data"));
            None
        }
        _ => {
            d.push(wrong_kind(node, "`none` or a type (a map with `type`)"));
            None
        }
    }
}

/// Decodes a type (`types:` entries, `items`, `result`, `events`).
pub fn ty(node: &Node, d: &mut Diagnostics) -> Option<Type> {
    type_or_field(node, false, d).map(|(t, _)| t)
}

/// Decodes a field (parameters, an object's fields).
pub fn field(node: &Node, d: &mut Diagnostics) -> Option<Field> {
    let (ty, mut m) = type_or_field(node, true, d)?;
    let mut m = m.take()?;
    let required = m
        .get("required")
        .and_then(|n| boolean(n, d))
        .unwrap_or(false);
    let example = m.get("example").cloned();
    let default = m.get("default").cloned();
    let since = m.get("since").and_then(|n| version(n, d));
    let platforms = m
        .get("platforms")
        .map(|n| list(n, "`platforms`", d, platform));
    Some(Field {
        ty,
        required,
        example,
        default,
        since,
        platforms,
    })
}

/// Reads a type's keys; for a field, hands back the reader for the field keys.
fn type_or_field<'n>(
    node: &'n Node,
    is_field: bool,
    d: &mut Diagnostics,
) -> Option<(Type, Option<MapReader<'n>>)> {
    let Value::Map(entries) = &node.value else {
        let mut diag = wrong_kind(
            node,
            if is_field {
                "a field (a map with `type`)"
            } else {
                "a type (a map with `type`)"
            },
        );
        if let Some(word) = node.as_str() {
            diag = diag.help(format!("write `{{ type: {word} }}`"));
        }
        d.push(diag);
        return None;
    };
    // Which kind decides which keys are allowed.
    let kind_node = entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("type"))
        .map(|(_, v)| v);
    let keyword = kind_node.and_then(|n| n.as_str());
    let mut allowed: Vec<&str> = TYPE_KEYS.to_vec();
    match keyword.and_then(|k| KIND_KEYS.iter().find(|(kind, _)| *kind == k)) {
        Some((_, keys)) => allowed.extend_from_slice(keys),
        // without a built-in `type`, the missing or misspelt type is what gets
        // reported, not every key that would follow from it (`type: int` with
        // `minimum` is one mistake)
        None if kind_node.is_none()
            || keyword.is_some_and(|k| !k.starts_with(|c: char| c.is_ascii_uppercase())) =>
        {
            for (_, keys) in KIND_KEYS {
                for key in *keys {
                    if !allowed.contains(key) {
                        allowed.push(key);
                    }
                }
            }
        }
        None => {}
    }
    if is_field {
        allowed.extend_from_slice(FIELD_KEYS);
    }
    let what = if is_field { "a field" } else { "a type" };
    let mut m = MapReader::with_kind(node, what, &allowed, keyword, d)?;
    let Some(kind_node) = m.get("type") else {
        let help = if entries.iter().any(|(k, _)| k.as_str() == Some("fields")) {
            "add `type: object`"
        } else if entries.iter().any(|(k, _)| k.as_str() == Some("items")) {
            "add `type: array`"
        } else {
            "add `type: string` (or integer, number, boolean, object, array, any, or a named type)"
        };
        d.push(
            Diagnostic::error(Code::MissingKey, node.loc, format!("{what} needs `type`"))
                .expected("`type`")
                .help(help),
        );
        return None;
    };
    let keyword = string(kind_node, d)?;
    let kind = match keyword.as_str() {
        "string" => TypeKind::String(StringType {
            format: m.get("format").and_then(|n| string(n, d)),
            pattern: m.get("pattern").and_then(|n| string(n, d)),
            min_length: m.get("min_length").and_then(|n| unsigned(n, d)),
            max_length: m.get("max_length").and_then(|n| unsigned(n, d)),
            values: m.get("values").map(|n| list(n, "`values`", d, enum_value)),
            unit: m.get("unit").and_then(|n| string(n, d)),
        }),
        "integer" | "number" => {
            let number = NumberType {
                minimum: m.get("minimum").and_then(|n| number(n, d)),
                maximum: m.get("maximum").and_then(|n| number(n, d)),
                values: m.get("values").map(|n| list(n, "`values`", d, enum_value)),
                unit: m.get("unit").and_then(|n| string(n, d)),
            };
            if keyword.as_str() == "integer" {
                TypeKind::Integer(number)
            } else {
                TypeKind::Number(number)
            }
        }
        "boolean" => TypeKind::Boolean(BooleanType {
            values: m.get("values").map(|n| list(n, "`values`", d, enum_value)),
        }),
        "object" => TypeKind::Object(ObjectType {
            fields: m
                .get("fields")
                .map(|n| named_map(n, "`fields`", d, field))
                .unwrap_or_default(),
            additional: m
                .get("additional")
                .and_then(|n| boolean(n, d))
                .unwrap_or(false),
        }),
        "array" => {
            let items = match m.get("items") {
                Some(n) => ty(n, d),
                None => {
                    d.push(
                        Diagnostic::error(Code::MissingKey, node.loc, "an array needs `items`")
                            .expected("`items`: the type of each item")
                            .help("add `items: { type: string }` (or the items' type)"),
                    );
                    None
                }
            };
            TypeKind::Array(ArrayType {
                items: Box::new(items?),
                min_items: m.get("min_items").and_then(|n| unsigned(n, d)),
                max_items: m.get("max_items").and_then(|n| unsigned(n, d)),
            })
        }
        "any" => TypeKind::Any,
        other if other.starts_with(|c: char| c.is_ascii_uppercase()) => {
            TypeKind::Named(other.to_owned())
        }
        other => {
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    keyword.loc,
                    format!("`{other}` is not a type"),
                )
                .expected("string, integer, number, boolean, object, array, any, or an UpperCamel named type")
                .found(format!("`{other}`"))
                .maybe_help(did_you_mean(other, builtin_kinds())),
            );
            return None;
        }
    };
    let nullable = m
        .get("nullable")
        .and_then(|n| boolean(n, d))
        .unwrap_or(false);
    let description = m.get("description").and_then(|n| string(n, d));
    let ty = Type {
        kind,
        kind_loc: kind_node.loc,
        nullable,
        description,
        loc: node.loc,
    };
    Some((ty, is_field.then_some(m)))
}

fn enum_value(node: &Node, d: &mut Diagnostics) -> Option<EnumValue> {
    if let Value::Map(_) = node.value {
        let mut m = MapReader::new(node, "an enumeration member", ENUM_VALUE_KEYS, d)?;
        let value = m.required("value", d).and_then(|n| scalar(n, d));
        let description = m.get("description").and_then(|n| string(n, d));
        let name = m.get("name").and_then(|n| string(n, d));
        Some(EnumValue {
            value: value?,
            description,
            name,
        })
    } else {
        Some(EnumValue {
            value: scalar(node, d)?,
            description: None,
            name: None,
        })
    }
}

fn scalar(node: &Node, d: &mut Diagnostics) -> Option<Sp<Scalar>> {
    let value = match &node.value {
        Value::Str(s) => Scalar::Str(s.clone()),
        Value::Int(i) => Scalar::Int(*i),
        Value::Float(f) => Scalar::Num(*f),
        Value::Bool(b) => Scalar::Bool(*b),
        _ => {
            d.push(wrong_kind(node, "a string, a number or a boolean"));
            return None;
        }
    };
    Some(Sp::new(value, node.loc))
}

fn error_code(node: &Node, d: &mut Diagnostics) -> Option<Sp<i64>> {
    match &node.value {
        Value::Int(i) => Some(Sp::new(*i, node.loc)),
        Value::Str(s) if s.trim().parse::<i64>().is_ok() => {
            d.push(
                wrong_kind(node, "an error code (an integer)")
                    .help(format!("write {} without quotes", s.trim())),
            );
            None
        }
        _ => {
            d.push(wrong_kind(node, "an error code (an integer)"));
            None
        }
    }
}

fn verb(node: &Node, d: &mut Diagnostics) -> Option<Sp<Verb>> {
    if node.as_str() == Some("unsubscribe") {
        d.push(
            Diagnostic::error(
                Code::InvalidValue,
                node.loc,
                "`unsubscribe` is not declared: every api with a `subscribe` operation has it",
            )
            .expected("`get`, `set` or `subscribe`")
            .found("`unsubscribe`")
            .help("remove this operation"),
        );
        return None;
    }
    keyword(
        node,
        "verb",
        &[
            ("get", Verb::Get),
            ("set", Verb::Set),
            ("subscribe", Verb::Subscribe),
        ],
        d,
    )
}

fn platform(node: &Node, d: &mut Diagnostics) -> Option<Sp<Platform>> {
    keyword(
        node,
        "platform",
        &[("android", Platform::Android), ("ios", Platform::Ios)],
        d,
    )
}

/// One of a fixed set of words.
fn keyword<T: Copy>(
    node: &Node,
    what: &str,
    words: &[(&str, T)],
    d: &mut Diagnostics,
) -> Option<Sp<T>> {
    let s = string(node, d)?;
    if let Some((_, value)) = words.iter().find(|(w, _)| *w == s.as_str()) {
        return Some(Sp::new(*value, node.loc));
    }
    let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    d.push(
        Diagnostic::error(
            Code::InvalidValue,
            node.loc,
            format!("`{}` is not a {what}", s.as_str()),
        )
        .expected(one_of(&names))
        .found(format!("`{}`", s.as_str()))
        .maybe_help(did_you_mean(&s, names.iter().copied())),
    );
    None
}

/// A quoted or plain string; a plain number or boolean is an error saying to quote it.
pub fn string(node: &Node, d: &mut Diagnostics) -> Option<Sp<String>> {
    match &node.value {
        Value::Str(s) => Some(Sp::new(s.clone(), node.loc)),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            let text = node.plain.clone().unwrap_or_else(|| node.show());
            d.push(wrong_kind(node, "a string").help(format!("quote it: \"{text}\"")));
            None
        }
        _ => {
            d.push(wrong_kind(node, "a string"));
            None
        }
    }
}

fn version(node: &Node, d: &mut Diagnostics) -> Option<Sp<Version>> {
    match &node.value {
        Value::Str(s) => match Version::parse(s) {
            Some(v) => Some(Sp::new(v, node.loc)),
            None => {
                d.push(
                    Diagnostic::error(
                        Code::BadVersion,
                        node.loc,
                        format!("{s:?} is not a version"),
                    )
                    .expected("`MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, e.g. \"2.3\"")
                    .found(format!("{s:?}"))
                    .maybe_help(version_help(s)),
                );
                None
            }
        },
        Value::Float(_) | Value::Int(_) => {
            let text = node.plain.clone().unwrap_or_else(|| node.show());
            d.push(
                Diagnostic::error(Code::BadVersion, node.loc, "a version must be quoted")
                    .expected("a quoted version, e.g. \"2.3\"")
                    .found(format!("the number {text}"))
                    .help(format!(
                        "write \"{text}\": unquoted, 2.10 would read as 2.1"
                    )),
            );
            None
        }
        _ => {
            d.push(wrong_kind(node, "a quoted version, e.g. \"2.3\""));
            None
        }
    }
}

fn version_help(s: &str) -> Option<String> {
    let trimmed = s.trim().trim_start_matches(['v', 'V']);
    let trimmed = trimmed
        .strip_suffix(".X")
        .or_else(|| trimmed.strip_suffix(".x"))
        .unwrap_or(trimmed);
    (trimmed != s && Version::parse(trimmed).is_some()).then(|| format!("write \"{trimmed}\""))
}

fn integer(node: &Node, d: &mut Diagnostics) -> Option<Sp<i64>> {
    match &node.value {
        Value::Int(i) => Some(Sp::new(*i, node.loc)),
        _ => {
            d.push(out_of_range(node).unwrap_or_else(|| wrong_kind(node, "an integer")));
            None
        }
    }
}

fn unsigned(node: &Node, d: &mut Diagnostics) -> Option<Sp<u64>> {
    match &node.value {
        Value::Int(i) if *i >= 0 => Some(Sp::new(*i as u64, node.loc)),
        _ => {
            d.push(
                out_of_range(node).unwrap_or_else(|| wrong_kind(node, "a non-negative integer")),
            );
            None
        }
    }
}

/// An integer written in the spec that does not fit 64 bits (YAML reads it
/// as a float): said as such, not as "a number".
fn out_of_range(node: &Node) -> Option<Diagnostic> {
    let text = node.plain.as_deref()?;
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !matches!(node.value, Value::Float(_))
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::InvalidValue,
            node.loc,
            format!("the integer {text} is out of range"),
        )
        .expected(format!(
            "an integer from {} to {} (64 bits)",
            i64::MIN,
            i64::MAX
        )),
    )
}

fn number(node: &Node, d: &mut Diagnostics) -> Option<Sp<f64>> {
    match &node.value {
        Value::Int(i) => Some(Sp::new(*i as f64, node.loc)),
        Value::Float(f) if f.is_finite() => Some(Sp::new(*f, node.loc)),
        _ => {
            d.push(wrong_kind(node, "a number"));
            None
        }
    }
}

fn boolean(node: &Node, d: &mut Diagnostics) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        _ => {
            let mut diag = wrong_kind(node, "`true` or `false`");
            if let Some(s) = node.as_str() {
                if matches!(s.to_ascii_lowercase().as_str(), "yes" | "on" | "y" | "true") {
                    diag = diag.help("write `true`");
                } else if matches!(
                    s.to_ascii_lowercase().as_str(),
                    "no" | "off" | "n" | "false"
                ) {
                    diag = diag.help("write `false`");
                }
            }
            d.push(diag);
            None
        }
    }
}

/// A list; each item decoded by `item`, failures left out.
fn list<T>(
    node: &Node,
    what: &str,
    d: &mut Diagnostics,
    mut item: impl FnMut(&Node, &mut Diagnostics) -> Option<T>,
) -> Vec<T> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| item(n, d)).collect(),
        _ => {
            let mut diag = wrong_kind(node, &format!("{what} as a list"));
            if node.as_str().is_some() || matches!(node.value, Value::Int(_)) {
                diag = diag.help(format!(
                    "write `[{}]`",
                    node.plain.clone().unwrap_or_else(|| node.key_text())
                ));
            }
            d.push(diag);
            Vec::new()
        }
    }
}

/// A map keyed by names; each value decoded by `item`.
fn named_map<T>(
    node: &Node,
    what: &str,
    d: &mut Diagnostics,
    mut item: impl FnMut(&Node, &mut Diagnostics) -> Option<T>,
) -> NamedMap<T> {
    let Value::Map(entries) = &node.value else {
        if matches!(node.value, Value::Null) {
            return NamedMap::default();
        }
        d.push(wrong_kind(node, &format!("{what} as a map")));
        return NamedMap::default();
    };
    let mut out: Vec<Named<T>> = Vec::new();
    for (key, value) in entries {
        let Some(name) = key_name(key, d) else {
            continue;
        };
        if let Some(first) = out.iter().find(|e| *e.name == *name) {
            d.push(duplicate_key(&name, first.name.loc));
            continue;
        }
        if let Some(value) = item(value, d) {
            out.push(Named { name, value });
        }
    }
    NamedMap(out)
}

fn key_name(key: &Node, d: &mut Diagnostics) -> Option<Sp<String>> {
    match &key.value {
        Value::Str(s) => Some(Sp::new(s.clone(), key.loc)),
        _ => {
            d.push(wrong_kind(key, "a name").help(format!(
                "quote it if it is meant as a name: \"{}\"",
                key.key_text()
            )));
            None
        }
    }
}

fn duplicate_key(name: &Sp<String>, first: Loc) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateKey,
        name.loc,
        format!("`{}` is written twice in this map", name.as_str()),
    )
    .help("remove or rename one of them")
    .note(first, "first written here")
}

/// A diagnostic for a value of the wrong kind.
pub fn wrong_kind(node: &Node, expected: &str) -> Diagnostic {
    let found = match &node.value {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            format!(
                "{} {}",
                node.kind(),
                node.plain.clone().unwrap_or_else(|| node.show())
            )
        }
        Value::Str(s) => format!("the string {s:?}"),
        _ => node.kind().to_owned(),
    };
    Diagnostic::error(
        Code::WrongKind,
        node.loc,
        format!("expected {expected}, found {}", node.kind()),
    )
    .expected(expected.to_owned())
    .found(found)
}

/// Reads a map's keys, reporting unknown and repeated ones once, up front.
struct MapReader<'n> {
    node: &'n Node,
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> MapReader<'n> {
    fn new(node: &'n Node, what: &str, allowed: &[&str], d: &mut Diagnostics) -> Option<Self> {
        Self::with_kind(node, what, allowed, None, d)
    }

    fn with_kind(
        node: &'n Node,
        what: &str,
        allowed: &[&str],
        kind: Option<&str>,
        d: &mut Diagnostics,
    ) -> Option<Self> {
        let Value::Map(raw) = &node.value else {
            d.push(wrong_kind(node, &format!("{what} (a map)")));
            return None;
        };
        let mut entries: Vec<(&'n str, &'n Node)> = Vec::new();
        let mut seen: Vec<(&'n str, Loc)> = Vec::new();
        for (key, value) in raw {
            let Some(name) = key.as_str() else {
                d.push(wrong_kind(key, "a key"));
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == name) {
                d.push(duplicate_key(&Sp::new(name.to_owned(), key.loc), *first));
                continue;
            }
            seen.push((name, key.loc));
            if allowed.contains(&name) {
                entries.push((name, value));
            } else {
                d.push(unknown_key(name, key.loc, what, allowed, kind));
            }
        }
        Some(MapReader { node, entries })
    }

    fn get(&mut self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    fn required(&mut self, key: &str, d: &mut Diagnostics) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() {
            let help = match key {
                "verb" => Some("add `verb: get` (or `set`, `subscribe`)"),
                "since" => Some("add `since: \"2.0\"`: the release that introduced it"),
                "operations" => Some("add `operations:` with the api's operations"),
                "component" => Some("add `component:` with a component of pims.yaml"),
                "version" => Some("add `version: \"2.3\"`: the SDK release"),
                _ => None,
            };
            d.push(
                Diagnostic::error(Code::MissingKey, self.node.loc, format!("missing `{key}`"))
                    .expected(format!("`{key}`"))
                    .maybe_help(help.map(str::to_owned)),
            );
        }
        found
    }
}

fn unknown_key(
    name: &str,
    loc: Loc,
    what: &str,
    allowed: &[&str],
    kind: Option<&str>,
) -> Diagnostic {
    let mut diag = Diagnostic::error(
        Code::UnknownKey,
        loc,
        format!("unknown key `{name}` in {what}"),
    )
    .expected(format!("one of {}", one_of(allowed)))
    .found(format!("`{name}`"));
    // keys are snake_case: `minLength` is `min_length`
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let owners = |key: &str| -> Vec<&str> {
        KIND_KEYS
            .iter()
            .filter(|(_, keys)| keys.contains(&key))
            .map(|(k, _)| *k)
            .collect()
    };
    if snake != name && allowed.contains(&snake.as_str()) {
        diag = diag.help(format!("keys are snake_case: `{snake}`"));
    } else if snake != name && !owners(&snake).is_empty() {
        diag = diag.help(format!(
            "keys are snake_case: `{snake}`, which applies to {}",
            one_of(&owners(&snake))
        ));
    } else if let (Some(kind), false) = (kind, owners(name).is_empty()) {
        // a key of another kind of type: say which kinds have it
        diag.message = format!("`{name}` does not apply to type `{kind}`");
        diag = diag.help(format!("`{name}` applies to {}", one_of(&owners(name))));
    } else if let Some(help) = did_you_mean(name, allowed.iter().copied()) {
        diag = diag.help(help);
    }
    diag
}
