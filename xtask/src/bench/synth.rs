//! A synthetic spec of N operations, written by the benchmark itself.
//!
//! Its mix follows `spec/` (126 operations, measured when this was written):
//! about 40% `get`, 50% `set`, 10% `subscribe`; a third told apart by verb
//! alone, a few by two selector keys; 1.5 parameters per operation (strings
//! with formats and patterns, enumerations, booleans, bounded integers,
//! arrays, nested objects, named types, free JSON); 55% of operations without
//! result, the others an object of 3 to 10 fields with enumerations, nested
//! objects, arrays of objects and named types; one named type per five
//! operations; 5.4 listed codes per operation from a catalogue of 100 codes
//! whose labels carry placeholders and sub-codes as the real one does. Three
//! operations per api file, twenty api files per group. Every leaf has an
//! example, so the spec checks without warnings; the output is the same for
//! the same N.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Operations per api file (`spec/` has 2.7).
const OPS_PER_API: usize = 3;
/// Api files per group folder.
const APIS_PER_GROUP: usize = 20;
/// Catalogue codes.
const CODES: usize = 100;
/// Components.
const COMPONENTS: usize = 10;

const NOUNS: [&str; 10] = [
    "Charge", "Trip", "Door", "Climate", "Position", "Alert", "Profile", "Media", "Service",
    "Light",
];

/// A tiny YAML tree: enough for spec files, written in block style.
enum Y {
    /// A scalar, written as is (quote strings with [`s`]).
    Raw(String),
    /// A flow sequence of scalars: `[a, b]`.
    Flow(Vec<String>),
    /// A mapping, in order.
    Map(Vec<(String, Y)>),
    /// A block sequence of mappings.
    Seq(Vec<Y>),
}

/// A double-quoted YAML string (ASCII, no escapes needed in what is written here).
fn s(text: &str) -> String {
    format!("\"{text}\"")
}

fn raw(text: impl ToString) -> Y {
    Y::Raw(text.to_string())
}

fn map(entries: Vec<(&str, Y)>) -> Y {
    Y::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn write_yaml(y: &Y, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries) => {
            for (k, v) in entries {
                match v {
                    Y::Raw(r) => {
                        let _ = writeln!(out, "{pad}{k}: {r}");
                    }
                    Y::Flow(items) => {
                        let _ = writeln!(out, "{pad}{k}: [{}]", items.join(", "));
                    }
                    Y::Map(_) | Y::Seq(_) => {
                        let _ = writeln!(out, "{pad}{k}:");
                        write_yaml(v, indent + 2, out);
                    }
                }
            }
        }
        Y::Seq(items) => {
            for item in items {
                let mut inner = String::new();
                write_yaml(item, indent + 2, &mut inner);
                // the first line of the item carries the dash
                let body = inner
                    .strip_prefix(&" ".repeat(indent + 2))
                    .unwrap_or(&inner);
                let _ = write!(out, "{pad}- {body}");
            }
        }
        Y::Raw(r) => {
            let _ = writeln!(out, "{pad}{r}");
        }
        Y::Flow(items) => {
            let _ = writeln!(out, "{pad}[{}]", items.join(", "));
        }
    }
}

/// A field: its type entries, then `required`, `description`, `example`.
fn field(mut ty: Vec<(&str, Y)>, required: bool, description: &str, example: Option<Y>) -> Y {
    if required {
        ty.push(("required", raw("true")));
    }
    ty.push(("description", raw(s(description))));
    if let Some(e) = example {
        ty.push(("example", e));
    }
    map(ty)
}

fn values(members: &[&str]) -> Y {
    Y::Seq(
        members
            .iter()
            .map(|m| {
                map(vec![
                    ("value", raw(s(m))),
                    ("description", raw(s(&format!("The {m} case.")))),
                ])
            })
            .collect(),
    )
}

const MODES: [&str; 4] = ["immediate", "deferred", "scheduled", "off"];
const LEVELS: [&str; 3] = ["low", "medium", "high"];

/// The `k`-th parameter kind (a cycle of 20 in `spec/`'s proportions).
fn parameter(k: usize, named: &str) -> Vec<(&'static str, Y)> {
    match k % 20 {
        0 | 4 | 9 | 13 | 17 => vec![("type", raw("string"))],
        1 => vec![("type", raw("string")), ("format", raw("email"))],
        2 if k % 40 == 2 => vec![
            ("type", raw("string")),
            ("pattern", raw(s("^\\\\+?[0-9]{6,15}$"))),
        ],
        2 => vec![("type", raw("string")), ("format", raw("phone"))],
        3 | 11 | 16 => vec![("type", raw("string")), ("values", values(&MODES))],
        5 | 14 => vec![("type", raw("boolean"))],
        6 | 18 => vec![
            ("type", raw("integer")),
            ("minimum", raw("0")),
            ("maximum", raw("100")),
        ],
        7 => vec![
            ("type", raw("array")),
            ("items", map(vec![("type", raw("string"))])),
            ("max_items", raw("20")),
        ],
        8 => vec![("type", raw(named))],
        10 => vec![("type", raw("any"))],
        12 => vec![
            ("type", raw("object")),
            (
                "fields",
                map(vec![
                    (
                        "latitude",
                        field(
                            vec![("type", raw("number"))],
                            true,
                            "Latitude, in degrees.",
                            Some(raw("48.77")),
                        ),
                    ),
                    (
                        "longitude",
                        field(
                            vec![("type", raw("number"))],
                            true,
                            "Longitude, in degrees.",
                            Some(raw("2.35")),
                        ),
                    ),
                    (
                        "label",
                        field(
                            vec![("type", raw("string"))],
                            false,
                            "What the place is called.",
                            Some(raw(s("Home"))),
                        ),
                    ),
                ]),
            ),
        ],
        15 => vec![("type", raw("string")), ("format", raw("date-time"))],
        _ => vec![("type", raw("number")), ("unit", raw(s("km")))],
    }
}

/// An example for a type built by [`parameter`] or [`data_field`], if it is a leaf.
fn example_of(ty: &[(&str, Y)]) -> Option<Y> {
    let kind = ty.iter().find(|(k, _)| *k == "type").map(|(_, v)| v)?;
    let Y::Raw(kind) = kind else { return None };
    let has = |key: &str| ty.iter().any(|(k, _)| *k == key);
    let format = ty.iter().find_map(|(k, v)| match (k, v) {
        (&"format", Y::Raw(f)) => Some(f.as_str()),
        _ => None,
    });
    Some(match kind.as_str() {
        "string" if has("values") => {
            let first = ty.iter().find_map(|(k, v)| match (k, v) {
                (&"values", Y::Seq(items)) => items.first().and_then(|m| match m {
                    Y::Map(e) => e.first().and_then(|(_, v)| match v {
                        Y::Raw(r) => Some(r.clone()),
                        _ => None,
                    }),
                    _ => None,
                }),
                _ => None,
            })?;
            raw(first)
        }
        "string" if has("pattern") => raw(s("0612345678")),
        "string" => raw(s(match format {
            Some("email") => "user@example.com",
            Some("phone") => "+33612345678",
            Some("date-time") => "2021-07-29T22:25:09.898Z",
            _ => "abc123",
        })),
        "boolean" => raw("true"),
        "integer" => raw("42"),
        "number" => raw("12.5"),
        "array" => {
            let strings = ty.iter().any(|(k, v)| {
                *k == "items"
                    && matches!(v, Y::Map(e) if matches!(e.first(), Some((k, Y::Raw(t))) if k == "type" && t == "string"))
            });
            if !strings {
                return None;
            }
            Y::Flow(vec![s("abc123")])
        }
        _ => return None,
    })
}

/// The `k`-th field of received data (a cycle of 12 in `spec/`'s proportions).
fn data_field(k: usize, named: &str, depth: usize) -> Vec<(&'static str, Y)> {
    match k % 12 {
        0 | 6 | 9 => vec![("type", raw("string"))],
        1 => vec![("type", raw("string")), ("format", raw("date-time"))],
        2 => vec![("type", raw("number")), ("unit", raw(s("%")))],
        3 => vec![("type", raw("boolean"))],
        4 => vec![("type", raw("string")), ("values", values(&LEVELS))],
        5 => vec![("type", raw(named))],
        7 if depth < 2 => vec![
            ("type", raw("object")),
            ("fields", data_fields(k, 3, named, depth + 1)),
        ],
        8 if depth < 2 => vec![
            ("type", raw("array")),
            (
                "items",
                map(vec![
                    ("type", raw("object")),
                    ("fields", data_fields(k + 1, 2, named, depth + 1)),
                ]),
            ),
        ],
        10 => vec![("type", raw("integer"))],
        _ => vec![("type", raw("number"))],
    }
}

fn data_fields(start: usize, n: usize, named: &str, depth: usize) -> Y {
    Y::Map(
        (0..n)
            .map(|j| {
                let k = start + j;
                let ty = data_field(k, named, depth);
                let example = example_of(&ty);
                let name = format!("{}{j}", ["value", "state", "level", "count", "info"][k % 5]);
                let text = format!("The {name} reported.");
                (name, field(ty, j == 0, &text, example))
            })
            .collect(),
    )
}

/// The named type declared by operation `i` (one per five operations).
fn named_type(i: usize) -> (String, Y) {
    let name = format!("{}Record{i}", NOUNS[i % NOUNS.len()]);
    let fields = vec![
        (
            "id",
            field(
                vec![("type", raw("string"))],
                true,
                "Its identifier.",
                Some(raw(s("a1b2"))),
            ),
        ),
        (
            "level",
            field(
                vec![("type", raw("number")), ("unit", raw(s("%")))],
                false,
                "How full it is.",
                Some(raw("80")),
            ),
        ),
        (
            "kind",
            field(
                vec![("type", raw("string")), ("values", values(&LEVELS))],
                false,
                "Its kind.",
                Some(raw(s("low"))),
            ),
        ),
        (
            "updatedAt",
            field(
                vec![("type", raw("string")), ("format", raw("date-time"))],
                false,
                "When it last changed.",
                Some(raw(s("2021-07-29T22:25:09.898Z"))),
            ),
        ),
        (
            "active",
            field(
                vec![("type", raw("boolean"))],
                false,
                "Whether it is in use.",
                Some(raw("true")),
            ),
        ),
        (
            "position",
            field(
                vec![
                    ("type", raw("object")),
                    (
                        "fields",
                        map(vec![
                            (
                                "latitude",
                                field(
                                    vec![("type", raw("number"))],
                                    true,
                                    "Latitude.",
                                    Some(raw("48.77")),
                                ),
                            ),
                            (
                                "longitude",
                                field(
                                    vec![("type", raw("number"))],
                                    true,
                                    "Longitude.",
                                    Some(raw("2.35")),
                                ),
                            ),
                        ]),
                    ),
                ],
                false,
                "Where it is.",
                None,
            ),
        ),
    ];
    let ty = map(vec![
        ("type", raw("object")),
        ("description", raw(s(&format!("A record of kind {i}.")))),
        ("fields", map(fields)),
    ]);
    (name, ty)
}

const VERBS: [&str; 10] = [
    "get",
    "set",
    "get",
    "set",
    "get",
    "set",
    "subscribe",
    "set",
    "get",
    "set",
];
const PARAMS: [usize; 20] = [0, 1, 2, 0, 1, 2, 3, 0, 1, 0, 2, 4, 1, 0, 2, 1, 0, 3, 1, 6];
const RESULT_FIELDS: [usize; 8] = [3, 5, 8, 4, 10, 6, 3, 7];
const ERRORS: [usize; 10] = [3, 5, 7, 2, 6, 4, 9, 5, 1, 12];

fn manifest() -> String {
    let components = Y::Map(
        (0..COMPONENTS)
            .map(|c| {
                (
                    format!("Component{c}"),
                    map(vec![
                        ("title", raw(s(&format!("Component {c}")))),
                        ("description", raw(s(&format!("The apis of group {c}.")))),
                        ("security", Y::Flow(vec!["authentication".into()])),
                        ("compatibility", Y::Flow(vec!["PSA".into()])),
                        ("since", raw(s("2.0"))),
                    ]),
                )
            })
            .collect(),
    );
    let errors = Y::Seq(
        (0..CODES)
            .map(|k| {
                let category = match k {
                    0..8 => "generic",
                    8..11 => "input",
                    11..18 => "output",
                    18..24 => "gigya",
                    _ => "pims",
                };
                let label = if k % 5 == 1 {
                    format!("Missing [PARAMETER] for failure {k}")
                } else {
                    format!("Failure {k} happened")
                };
                let mut e = vec![
                    ("code", raw(2000 + k)),
                    ("name", raw(format!("Failure{}{k}", NOUNS[k % NOUNS.len()]))),
                    ("category", raw(category)),
                    ("label", raw(s(&label))),
                ];
                if k % 33 == 4 {
                    e.push(("sub_codes", raw("true")));
                }
                if k % 5 == 3 {
                    e.push(("description", raw(s(&format!("What failure {k} means.")))));
                }
                map(e)
            })
            .collect(),
    );
    let root = map(vec![
        (
            "sdk",
            map(vec![
                ("name", raw("Synthetic SDK")),
                ("version", raw(s("2.3"))),
            ]),
        ),
        (
            "securities",
            map(vec![(
                "authentication",
                map(vec![("description", raw(s("The user must be signed in.")))]),
            )]),
        ),
        ("components", components),
        ("errors", errors),
    ]);
    let mut out = String::from("# A synthetic spec written by `cargo xtask bench --peer`.\n");
    write_yaml(&root, 0, &mut out);
    out
}

fn operation(i: usize, has_selector: bool, param_counter: &mut usize) -> Y {
    let verb = VERBS[i % VERBS.len()];
    let noun = NOUNS[(i / 3) % NOUNS.len()];
    let name = format!("{verb}{noun}{i}");
    let named = format!("{}Record{}", NOUNS[(i / 5 * 5) % NOUNS.len()], i / 5 * 5);
    let mut op = vec![
        ("name", raw(&name)),
        ("verb", raw(verb)),
        ("since", raw(s("2.0"))),
        (
            "description",
            raw(s(&format!(
                "Does thing {i} to the {}.",
                noun.to_lowercase()
            ))),
        ),
    ];
    if has_selector {
        let mut sel = vec![("type", raw(s(&name)))];
        if i % 20 == 7 {
            sel.insert(0, ("actionType", raw(s("basic"))));
        }
        op.push(("selector", map(sel)));
    }
    let n = PARAMS[i % PARAMS.len()];
    if n > 0 {
        let params = (0..n)
            .map(|j| {
                let k = *param_counter;
                *param_counter += 1;
                let ty = parameter(k, &named);
                let example = example_of(&ty);
                let pname = format!(
                    "{}{j}",
                    ["target", "mode", "value", "option", "filter"][k % 5]
                );
                let text = format!("The {pname} to use.");
                (
                    pname,
                    field(ty, j == 0 || k.is_multiple_of(3), &text, example),
                )
            })
            .collect();
        op.push(("parameters", Y::Map(params)));
    }
    // 55% without a result
    if i % 20 < 11 {
        op.push(("result", raw("none")));
    } else {
        let fields = RESULT_FIELDS[i % RESULT_FIELDS.len()];
        op.push((
            "result",
            map(vec![
                ("type", raw("object")),
                ("fields", data_fields(i, fields, &named, 0)),
            ]),
        ));
    }
    if verb == "subscribe" {
        op.push((
            "events",
            map(vec![
                ("type", raw("object")),
                ("fields", data_fields(i + 3, 3, &named, 1)),
            ]),
        ));
    }
    let count = ERRORS[i % ERRORS.len()];
    let first = (i * 7) % CODES;
    let mut codes: Vec<usize> = (0..count).map(|j| 2000 + (first + j) % CODES).collect();
    codes.sort_unstable();
    op.push((
        "errors",
        Y::Flow(codes.iter().map(ToString::to_string).collect()),
    ));
    map(op)
}

/// The spec folder of `ops` operations, as (relative path, text).
pub fn files(ops: usize) -> Vec<(PathBuf, String)> {
    let mut files = vec![(PathBuf::from("pims.yaml"), manifest())];
    let apis = ops.div_ceil(OPS_PER_API);
    let mut param_counter = 0;
    for a in 0..apis {
        let group = a / APIS_PER_GROUP;
        let api = format!("pims.g{group}.api{a}");
        let range = a * OPS_PER_API..((a + 1) * OPS_PER_API).min(ops);
        let verbs: Vec<&str> = range.clone().map(|i| VERBS[i % VERBS.len()]).collect();
        let operations = Y::Seq(
            range
                .clone()
                .map(|i| {
                    let verb = VERBS[i % VERBS.len()];
                    let alone = verbs.iter().filter(|v| **v == verb).count() == 1;
                    // about a third are told apart by their verb alone
                    let has_selector = !(alone && i % 2 == 0);
                    operation(i, has_selector, &mut param_counter)
                })
                .collect(),
        );
        let types: Vec<(String, Y)> = range.filter(|i| i % 5 == 0).map(named_type).collect();
        let mut root = vec![
            ("api".to_owned(), raw(&api)),
            (
                "component".to_owned(),
                raw(format!("Component{}", group % COMPONENTS)),
            ),
            (
                "description".to_owned(),
                raw(s(&format!("Synthetic api {a}."))),
            ),
        ];
        if !types.is_empty() {
            root.push(("types".to_owned(), Y::Map(types)));
        }
        root.push(("operations".to_owned(), operations));
        let mut text = format!("# {api}: synthetic, written by `cargo xtask bench --peer`.\n");
        write_yaml(&Y::Map(root), 0, &mut text);
        files.push((PathBuf::from(format!("g{group}/api{a}.yaml")), text));
    }
    files
}

/// Writes the spec of `ops` operations to `dir` (emptied first).
pub fn write(dir: &Path, ops: usize) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for (rel, text) in files(ops) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The synthetic spec checks without a diagnostic, has the operations
    /// asked for, and has `spec/`'s mix.
    #[test]
    fn synthetic_specs_check_cleanly_with_the_mix_of_spec() {
        for ops in [1, 7, 60] {
            let files: Vec<(PathBuf, Vec<u8>)> = files(ops)
                .into_iter()
                .map(|(p, t)| (p, t.into_bytes()))
                .collect();
            let analysis = pims_codegen::analyze_files(Path::new("synth"), files);
            assert!(
                analysis.diagnostics.iter().next().is_none(),
                "{}",
                analysis.render(pims_codegen::diag::Format::Human)
            );
            let ir = analysis.into_ir().expect("checks");
            let all: Vec<_> = ir.modules.iter().flat_map(|m| &m.operations).collect();
            assert_eq!(all.len(), ops);
            if ops == 60 {
                let count = |f: &dyn Fn(&&&pims_codegen::ir::OperationIr) -> bool| {
                    all.iter().filter(|o| f(o)).count()
                };
                use pims_codegen::spec::Verb;
                assert_eq!(count(&|o| o.verb == Verb::Subscribe), 6);
                assert_eq!(count(&|o| o.result.is_none()), 33);
                assert!((15..=25).contains(&count(&|o| o.selector.is_empty())));
                let params: usize = all.iter().map(|o| o.params.len()).sum();
                assert_eq!(params, 90, "1.5 parameters per operation");
                let errors: usize = all.iter().map(|o| o.errors.len()).sum();
                assert_eq!(errors, 324, "5.4 codes per operation");
                let records = ir.types.iter().filter(|t| {
                    t.name
                        .split_once("Record")
                        .is_some_and(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
                });
                assert_eq!(records.count(), 12, "a named type per five operations");
                assert!(!all.iter().all(|o| o.checks.is_empty()), "some checks");
            }
        }
        assert_eq!(files(40), files(40), "the same spec for the same size");
    }
}
