//! The rules a spec must follow beyond its shape: one small function per rule,
//! each with its own diagnostic code. Every rule runs; every problem is
//! reported (see `crate::diag::Code` for the list).

mod examples;
mod lint;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, one_of};
use crate::load::expected_path;
use crate::naming;
use crate::source::{Loc, display_path};
use crate::spec::{
    ApiFile, EnumValue, Field, NamedMap, Operation, Scalar, Shape, Spec, Type, TypeKind, Verb,
};

pub use examples::fits;
pub use lint::lint;

/// Whether `c` is a character no spec text may hold: a control character
/// (other than tab and line feed), or one that changes the direction or the
/// lines of text without being seen (bidi controls, line and paragraph
/// separators). Such characters make reviewed text read differently than it
/// is, and break generated code (a bare CR in a doc comment, a bidi control
/// in a literal).
pub fn is_hidden_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Every named type of the spec, by name.
#[derive(Debug)]
pub struct TypeTable<'s> {
    types: BTreeMap<&'s str, &'s Type>,
}

impl<'s> TypeTable<'s> {
    /// Collects the manifest's and the api files' `types:` (first definition wins).
    pub fn new(spec: &'s Spec) -> Self {
        let mut types = BTreeMap::new();
        let all = spec
            .manifest
            .types
            .iter()
            .chain(spec.apis.iter().flat_map(|a| a.types.iter()));
        for entry in all {
            types.entry(entry.name.as_str()).or_insert(&entry.value);
        }
        TypeTable { types }
    }

    /// The type named `name`.
    pub fn get(&self, name: &str) -> Option<&'s Type> {
        self.types.get(name).copied()
    }

    /// Follows named types to the type they stand for (bounded, for cycles).
    pub fn resolve<'t>(&self, mut ty: &'t Type) -> &'t Type
    where
        's: 't,
    {
        for _ in 0..32 {
            match &ty.kind {
                TypeKind::Named(name) => match self.get(name) {
                    Some(t) => ty = t,
                    None => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.types.keys().copied()
    }
}

/// Checks `spec`, returning every problem found.
pub fn check(spec: &Spec) -> Diagnostics {
    let mut d = Diagnostics::default();
    let types = TypeTable::new(spec);
    catalogue(spec, &mut d);
    securities_and_components(spec, &mut d);
    named_types(spec, &types, &mut d);
    unique_apis(spec, &mut d);
    for api in &spec.apis {
        api_path(api, &mut d);
        api_component(spec, api, &mut d);
        operation_names(api, &mut d);
        ambiguous_operations(spec, api, &mut d);
        for op in &api.operations {
            operation(spec, &types, op, &mut d);
        }
    }
    d.extend(lint(spec));
    d
}

/// E309, E106, E305: catalogue codes and names are unique and usable in Rust.
fn catalogue(spec: &Spec, d: &mut Diagnostics) {
    let mut codes: HashMap<i64, Loc> = HashMap::new();
    let mut names: HashMap<String, (String, Loc)> = HashMap::new();
    for e in &spec.manifest.errors {
        if let Some(first) = codes.get(&e.code.value) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    e.code.loc,
                    format!("error code {} is defined twice", e.code.value),
                )
                .note(*first, "first defined here"),
            );
        } else {
            codes.insert(e.code.value, e.code.loc);
        }
        upper_camel(&e.name, "an error name", d);
        if e.name.as_str() == "Unlisted" {
            d.push(
                Diagnostic::error(
                    Code::BadName,
                    e.name.loc,
                    format!(
                        "`{}` is reserved for the catch-all variant",
                        e.name.as_str()
                    ),
                )
                .help(format!(
                    "name it after what the error means, e.g. `{}Error`",
                    e.name.as_str()
                )),
            );
        }
        let key = naming::rust::field(&e.name).to_lowercase();
        if let Some((other, first)) = names.get(&key) {
            d.push(
                Diagnostic::error(
                    Code::NameCollision,
                    e.name.loc,
                    format!("error name `{}` collides with `{other}`", e.name.as_str()),
                )
                .note(*first, "the other is here")
                .help("give the errors distinct names"),
            );
        } else {
            names.insert(key, (e.name.value.clone(), e.name.loc));
        }
        if e.label.trim().is_empty() {
            d.push(
                Diagnostic::error(Code::InvalidValue, e.label.loc, "the label is empty")
                    .expected("the label the SDK sends"),
            );
        }
        'targets: for target in naming::TARGETS {
            let mut fields = BTreeMap::new();
            if e.sub_codes {
                fields.insert(target.field("subCodes"), "`sub_codes: true`");
            }
            for hole in naming::placeholders(&e.label) {
                let field = target.placeholder(hole);
                if let Some(first) = fields.insert(field.clone(), hole) {
                    d.push(
                        Diagnostic::error(
                            Code::NameCollision,
                            e.label.loc,
                            format!(
                                "{first} and the placeholder {hole} both become the {} {} `{field}`",
                                target.language(),
                                target.field_word()
                            ),
                        )
                        .help("reword the placeholder"),
                    );
                    break 'targets;
                }
            }
        }
    }
}

/// E106, E203, E105: securities and components.
fn securities_and_components(spec: &Spec, d: &mut Diagnostics) {
    let securities: Vec<&str> = spec.manifest.securities.names().collect();
    for c in &spec.manifest.components {
        upper_camel(&c.name, "a component name", d);
        security_refs(&c.value.security, &securities, d);
    }
}

fn security_refs(refs: &[crate::spec::Sp<String>], known: &[&str], d: &mut Diagnostics) {
    for s in refs {
        if !known.contains(&s.as_str()) {
            d.push(
                Diagnostic::error(
                    Code::UnknownSecurity,
                    s.loc,
                    format!("unknown security `{}`", s.as_str()),
                )
                .expected(format!("one of {}", one_of(known)))
                .maybe_help(did_you_mean(s, known.iter().copied())),
            );
        }
    }
}

/// E106, E309, E310: named types are UpperCamel, defined once, and not
/// contained in themselves.
fn named_types(spec: &Spec, table: &TypeTable<'_>, d: &mut Diagnostics) {
    let mut seen: HashMap<&str, Loc> = HashMap::new();
    let all = spec
        .manifest
        .types
        .iter()
        .chain(spec.apis.iter().flat_map(|a| a.types.iter()));
    for entry in all {
        upper_camel(&entry.name, "a type name", d);
        if let Some(first) = seen.get(entry.name.as_str()) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    entry.name.loc,
                    format!("type `{}` is defined twice", entry.name.as_str()),
                )
                .note(*first, "first defined here"),
            );
            continue;
        }
        seen.insert(&entry.name, entry.name.loc);
        if contains_itself(table, &entry.name, &entry.value, &mut Vec::new()) {
            d.push(
                Diagnostic::error(
                    Code::RecursiveType,
                    entry.name.loc,
                    format!("type `{}` contains itself", entry.name.as_str()),
                )
                .expected("a cycle through an array (a type may hold a list of itself)")
                .help("make the field that leads back to this type an array"),
            );
        }
        type_rules(table, &entry.value, d);
        examples::named_type_examples(table, &entry.value, d);
    }
}

/// Whether `ty` reaches named type `target` without going through an array.
fn contains_itself<'s>(
    table: &TypeTable<'s>,
    target: &str,
    ty: &'s Type,
    path: &mut Vec<&'s str>,
) -> bool {
    match &ty.kind {
        TypeKind::Named(name) => {
            if name == target && !path.is_empty() {
                return true;
            }
            if path.contains(&name.as_str()) {
                return false;
            }
            let Some(inner) = table.get(name) else {
                return false;
            };
            path.push(name);
            let found = contains_itself(table, target, inner, path);
            path.pop();
            found
        }
        TypeKind::Object(o) => o.fields.iter().any(|f| {
            if path.is_empty() {
                path.push("");
                let found = contains_itself(table, target, &f.value.ty, path);
                path.pop();
                found
            } else {
                contains_itself(table, target, &f.value.ty, path)
            }
        }),
        _ => false,
    }
}

/// E309: one file per api name.
fn unique_apis(spec: &Spec, d: &mut Diagnostics) {
    let mut seen: HashMap<&str, Loc> = HashMap::new();
    for api in &spec.apis {
        if let Some(first) = seen.get(api.api.as_str()) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    api.api.loc,
                    format!("api `{}` is described by two files", api.api.as_str()),
                )
                .note(*first, "also described here"),
            );
        } else {
            seen.insert(&api.api, api.api.loc);
        }
    }
}

/// E304: an api file's path is its api name without `pims.`, dots as folders.
fn api_path(api: &ApiFile, d: &mut Diagnostics) {
    let name = api.api.as_str();
    let segments_ok = name.strip_prefix("pims.").is_some_and(|rest| {
        rest.split('.').all(|s| {
            s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars().all(|c| c.is_ascii_alphanumeric())
        })
    });
    if !segments_ok {
        d.push(
            Diagnostic::error(Code::BadName, api.api.loc, format!("`{name}` is not an api name"))
                .expected("`pims.` and dot-separated words that start with a lowercase letter, e.g. `pims.authentication.smscode`")
                .found(format!("`{name}`")),
        );
        return;
    }
    let Some(expected) = expected_path(name) else {
        return;
    };
    if api.path != expected {
        d.push(
            Diagnostic::error(
                Code::ApiPathMismatch,
                api.api.loc,
                format!("api `{name}` is in the wrong file"),
            )
            .expected(format!("the file {}", display_path(&expected)))
            .found(format!("the file {}", display_path(&api.path)))
            .help(format!(
                "move the file to {} or change `api:` to `pims.{}`",
                display_path(&expected),
                display_path(&api.path.with_extension("")).replace('/', ".")
            )),
        );
    }
}

/// E202: the components (the file's, and operations' own) are declared.
fn api_component(spec: &Spec, api: &ApiFile, d: &mut Diagnostics) {
    let known: Vec<&str> = spec.manifest.components.names().collect();
    let named = std::iter::once(&api.component)
        .chain(api.operations.iter().filter_map(|o| o.component.as_ref()));
    for component in named {
        if !known.contains(&component.as_str()) {
            d.push(
                Diagnostic::error(
                    Code::UnknownComponent,
                    component.loc,
                    format!("unknown component `{}`", component.as_str()),
                )
                .expected("a component declared in pims.yaml")
                .maybe_help(did_you_mean(component, known.iter().copied())),
            );
        }
    }
}

/// E106, E301, E305: operation names are identifiers, unique, and stay
/// distinct as Rust types (with their Result, Event and Error types).
fn operation_names(api: &ApiFile, d: &mut Diagnostics) {
    let mut by_name: HashMap<&str, Loc> = HashMap::new();
    let mut rust: BTreeMap<String, (String, Loc)> = BTreeMap::new();
    for op in &api.operations {
        let name = op.name.as_str();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            d.push(
                Diagnostic::error(
                    Code::BadName,
                    op.name.loc,
                    format!("`{name}` is not an operation name"),
                )
                .expected(
                    "letters and digits, starting with a letter, e.g. `phoneNumberCertification`",
                )
                .found(format!("`{name}`")),
            );
            continue;
        }
        if let Some(first) = by_name.get(name) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateOperation,
                    op.name.loc,
                    format!(
                        "operation `{name}` is defined twice in {}",
                        api.api.as_str()
                    ),
                )
                .note(*first, "first defined here")
                .help("give each operation of an api its own name"),
            );
            continue;
        }
        by_name.insert(name, op.name.loc);
        let ty = naming::operation(name);
        let mut derived = vec![ty.clone(), naming::error(&ty)];
        if matches!(op.result, Some(Shape::Type(_))) {
            derived.push(naming::result(&ty));
        }
        if op.verb.value == Verb::Subscribe {
            derived.push(naming::event(&ty));
        }
        for rust_name in derived {
            if let Some((other, first)) = rust.get(&rust_name).cloned() {
                d.push(
                    Diagnostic::error(
                        Code::NameCollision,
                        op.name.loc,
                        format!("operations `{name}` and `{other}` both need the Rust type `{rust_name}`"),
                    )
                    .note(first, "the other is here")
                    .help("rename one of the operations"),
                );
                break;
            } else {
                rust.insert(rust_name, (name.to_owned(), op.name.loc));
            }
        }
    }
}

/// E302: two operations of one api that a call could not tell apart.
fn ambiguous_operations(spec: &Spec, api: &ApiFile, d: &mut Diagnostics) {
    let ops = &api.operations;
    for (i, a) in ops.iter().enumerate() {
        for b in &ops[i + 1..] {
            if a.verb.value != b.verb.value || a.name.value == b.name.value {
                continue;
            }
            let (ca, cb) = (compatibility(spec, api, a), compatibility(spec, api, b));
            if !ca.is_empty() && !cb.is_empty() && ca.is_disjoint(&cb) {
                continue;
            }
            // the same call, on Android for one and on iOS for the other
            let platforms = |op: &Operation| -> BTreeSet<crate::spec::Platform> {
                op.platforms.iter().flatten().map(|p| p.value).collect()
            };
            let (pa, pb) = (platforms(a), platforms(b));
            if !pa.is_empty() && !pb.is_empty() && pa.is_disjoint(&pb) {
                continue;
            }
            if accepts(b, &minimal_call(a)) || accepts(a, &minimal_call(b)) {
                d.push(
                    Diagnostic::error(
                        Code::AmbiguousOperations,
                        b.name.loc,
                        format!(
                            "a call could not tell `{}` from `{}`",
                            b.name.as_str(),
                            a.name.as_str()
                        ),
                    )
                    .expected("operations of one api told apart by verb, selector or required parameters")
                    .found(format!(
                        "both are `{}` with {}",
                        a.verb.value.as_str(),
                        describe_call(a)
                    ))
                    .note(a.name.loc, "the other operation")
                    .help("give them different selector values; if they are one call for different vehicles (PSA, FCA, O2X) or phones (android, ios), say so with `compatibility` or `platforms`"),
                );
            }
        }
    }
}

/// The platforms of `op`: its own, or its component's.
fn compatibility<'s>(spec: &'s Spec, api: &'s ApiFile, op: &'s Operation) -> BTreeSet<&'s str> {
    match &op.compatibility {
        Some(list) => list.iter().map(|s| s.as_str()).collect(),
        None => spec
            .manifest
            .components
            .get(op.component.as_ref().unwrap_or(&api.component))
            .map(|c| c.value.compatibility.iter().map(|s| s.as_str()).collect())
            .unwrap_or_default(),
    }
}

/// What a call puts in one parameter.
#[derive(Debug, Clone)]
enum Arg<'s> {
    /// A selector's constant.
    Exactly(&'s Scalar),
    /// A parameter that may be any of these (its enumeration), or anything (`None`).
    OneOf(Option<Vec<&'s Scalar>>),
}

impl Arg<'_> {
    /// Whether this argument can be `value`.
    fn can_be(&self, value: &Scalar) -> bool {
        match self {
            Arg::Exactly(v) => *v == value,
            Arg::OneOf(None) => true,
            Arg::OneOf(Some(list)) => list.contains(&value),
        }
    }

    /// Whether this argument fits parameter `p` (its enumeration, if any).
    fn fits(&self, p: &Field) -> bool {
        match enumeration(p) {
            None => true,
            Some(members) => match self {
                Arg::Exactly(v) => members.contains(v),
                Arg::OneOf(None) => true,
                Arg::OneOf(Some(list)) => list.iter().any(|v| members.contains(v)),
            },
        }
    }
}

/// The members of a parameter's enumeration, if it has one.
fn enumeration(p: &Field) -> Option<Vec<&Scalar>> {
    let values = match &p.ty.kind {
        TypeKind::String(s) => s.values.as_ref(),
        TypeKind::Integer(n) | TypeKind::Number(n) => n.values.as_ref(),
        _ => None,
    };
    values.map(|list| list.iter().map(|m| &m.value.value).collect())
}

/// The smallest call of `op`: its selector and its required parameters.
fn minimal_call(op: &Operation) -> Vec<(&str, Arg<'_>)> {
    op.selector
        .iter()
        .map(|s| (s.name.as_str(), Arg::Exactly(&s.value.value)))
        .chain(
            op.parameters
                .iter()
                .filter(|p| p.value.required)
                .map(|p| (p.name.as_str(), Arg::OneOf(enumeration(&p.value)))),
        )
        .collect()
}

/// Whether `op` would take `call` as its own.
fn accepts(op: &Operation, call: &[(&str, Arg<'_>)]) -> bool {
    let selector_ok = op.selector.iter().all(|s| {
        call.iter()
            .any(|(k, a)| *k == s.name.as_str() && a.can_be(&s.value.value))
    });
    let required_ok = op
        .parameters
        .iter()
        .filter(|p| p.value.required)
        .all(|p| call.iter().any(|(k, _)| *k == p.name.as_str()));
    let known = call.iter().all(|(k, a)| {
        op.selector.get(k).is_some_and(|s| a.can_be(&s.value.value))
            || op.parameters.get(k).is_some_and(|p| a.fits(&p.value))
    });
    selector_ok && required_ok && known
}

fn describe_call(op: &Operation) -> String {
    let call = minimal_call(op);
    if call.is_empty() {
        return "no selector and no required parameter".to_owned();
    }
    let parts: Vec<String> = call
        .iter()
        .map(|(k, a)| match a {
            Arg::Exactly(v) => format!("{k}={v}"),
            Arg::OneOf(_) => (*k).to_owned(),
        })
        .collect();
    format!("the parameters {{{}}}", parts.join(", "))
}

/// The rules of one operation.
fn operation(spec: &Spec, types: &TypeTable<'_>, op: &Operation, d: &mut Diagnostics) {
    let securities: Vec<&str> = spec.manifest.securities.names().collect();
    if let Some(list) = &op.security {
        security_refs(list, &securities, d);
    }
    error_refs(spec, op, d);
    events_only_on_subscribe(op, d);
    selector_rules(op, d);
    related_refs(spec, op, d);
    field_names(&op.parameters, d);
    for p in &op.parameters {
        field_rules(types, &p.value, d);
    }
    for shape in [&op.result, &op.events].into_iter().flatten() {
        if let Shape::Type(t) = shape {
            type_rules(types, t, d);
        }
    }
    examples::operation_examples(types, op, d);
}

/// E201, E309: listed codes are in the catalogue, once.
fn error_refs(spec: &Spec, op: &Operation, d: &mut Diagnostics) {
    let codes: Vec<String> = spec
        .manifest
        .errors
        .iter()
        .map(|e| e.code.value.to_string())
        .collect();
    let mut seen: HashMap<i64, Loc> = HashMap::new();
    for code in &op.errors {
        if !spec
            .manifest
            .errors
            .iter()
            .any(|e| e.code.value == code.value)
        {
            let written = code.value.to_string();
            d.push(
                Diagnostic::error(
                    Code::UnknownErrorCode,
                    code.loc,
                    format!("error code {} is not in the catalogue", code.value),
                )
                .expected("a code listed under `errors:` in pims.yaml")
                .found(written.clone())
                .maybe_help(closest_code(&written, &codes).map(|c| {
                    let e = spec
                        .manifest
                        .errors
                        .iter()
                        .find(|e| e.code.value.to_string() == c);
                    match e {
                        Some(e) => format!(
                            "did you mean `{c}` ({}: {})?",
                            e.name.as_str(),
                            e.label.as_str()
                        ),
                        None => format!("did you mean `{c}`?"),
                    }
                })),
            );
        }
        if let Some(first) = seen.insert(code.value, code.loc) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    code.loc,
                    format!("error code {} is listed twice", code.value),
                )
                .note(first, "first listed here")
                .help("remove one"),
            );
        }
    }
}

/// The catalogue code closest to a mistyped one: one edit or one swap away.
/// A code of the catalogue that `written` looks like with two neighbouring
/// digits swapped (`2120` for `2102`): a slip of the fingers. Codes a digit
/// apart are unrelated errors (`2395` is not `2390`), so no other code is
/// suggested.
fn closest_code(written: &str, codes: &[String]) -> Option<String> {
    codes
        .iter()
        .find(|c| {
            let (a, b): (Vec<char>, Vec<char>) = (written.chars().collect(), c.chars().collect());
            a.len() == b.len() && {
                let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
                differ.len() == 2
                    && differ[1] == differ[0] + 1
                    && a[differ[0]] == b[differ[1]]
                    && a[differ[1]] == b[differ[0]]
            }
        })
        .cloned()
}

/// E303: `events` only on `subscribe`.
fn events_only_on_subscribe(op: &Operation, d: &mut Diagnostics) {
    if op.verb.value == Verb::Subscribe {
        return;
    }
    if let Some(events) = &op.events {
        let loc = match events {
            Shape::None(loc) => *loc,
            Shape::Type(t) => t.loc,
        };
        d.push(
            Diagnostic::error(
                Code::EventsNotSubscribe,
                loc,
                format!("`events` on a `{}` operation", op.verb.value.as_str()),
            )
            .expected("`events` only on `verb: subscribe`")
            .help("remove `events`, or describe the data under `result`"),
        );
    }
}

/// E308, E106: selector keys are not parameters, and their values are scalars.
fn selector_rules(op: &Operation, d: &mut Diagnostics) {
    for s in &op.selector {
        if let Some(p) = op.parameters.get(&s.name) {
            d.push(
                Diagnostic::error(
                    Code::SelectorClash,
                    p.name.loc,
                    format!(
                        "`{}` is both a selector key and a parameter",
                        p.name.as_str()
                    ),
                )
                .note(s.name.loc, "the selector key")
                .help("a selector value is a constant: remove the parameter"),
            );
        }
        if let Scalar::Num(_) = s.value.value {
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    s.value.loc,
                    "a selector value cannot be a fractional number",
                )
                .expected("a string, an integer or a boolean"),
            );
        }
    }
}

/// E205: `related` names an api (`pims.a.b`) or an operation (`pims.a.b#name`).
fn related_refs(spec: &Spec, op: &Operation, d: &mut Diagnostics) {
    for r in &op.related {
        let (api_name, op_name) = match r.split_once('#') {
            Some((a, o)) => (a, Some(o)),
            None => (r.as_str(), None),
        };
        let Some(api) = spec.apis.iter().find(|a| a.api.as_str() == api_name) else {
            d.push(
                Diagnostic::error(
                    Code::UnknownRelated,
                    r.loc,
                    format!("`{}` names no api of the spec", r.as_str()),
                )
                .expected("`pims.<api>` or `pims.<api>#<operation>`")
                .maybe_help(did_you_mean(
                    api_name,
                    spec.apis.iter().map(|a| a.api.as_str()),
                )),
            );
            continue;
        };
        if let Some(op_name) = op_name
            && !api.operations.iter().any(|o| o.name.as_str() == op_name)
        {
            d.push(
                Diagnostic::error(
                    Code::UnknownRelated,
                    r.loc,
                    format!("`{api_name}` has no operation `{op_name}`"),
                )
                .expected(format!(
                    "one of {}",
                    one_of(
                        &api.operations
                            .iter()
                            .map(|o| o.name.as_str())
                            .collect::<Vec<_>>()
                    )
                ))
                .maybe_help(did_you_mean(
                    op_name,
                    api.operations.iter().map(|o| o.name.as_str()),
                )),
            );
        }
    }
}

/// E305: fields of one object (or one operation's parameters) stay distinct
/// in every target language.
fn field_names(fields: &NamedMap<Field>, d: &mut Diagnostics) {
    let mut reported = BTreeSet::new();
    for target in naming::TARGETS {
        let mut names: HashMap<String, (&str, Loc)> = HashMap::new();
        for f in fields {
            let name = target.field(&f.name);
            if let Some((other, first)) = names.get(&name) {
                if reported.insert(f.name.loc) {
                    d.push(
                        Diagnostic::error(
                            Code::NameCollision,
                            f.name.loc,
                            format!(
                                "`{}` and `{other}` both become the {} {} `{name}`",
                                f.name.as_str(),
                                target.language(),
                                target.field_word()
                            ),
                        )
                        .note(*first, "the other is here")
                        .help("rename one on the wire, or drop the duplicate"),
                    );
                }
            } else {
                names.insert(name, (f.name.as_str(), f.name.loc));
            }
        }
    }
}

fn field_rules(types: &TypeTable<'_>, f: &Field, d: &mut Diagnostics) {
    type_rules(types, &f.ty, d);
}

/// E204, E306, E311, E305, E309, E104: a type's references, pattern, bounds
/// and enumeration, recursively through inline types.
fn type_rules(types: &TypeTable<'_>, ty: &Type, d: &mut Diagnostics) {
    match &ty.kind {
        TypeKind::Named(name) => {
            if types.get(name).is_none() {
                let lower = name.to_lowercase();
                let builtin = crate::spec::decode::builtin_kinds().find(|k| *k == lower);
                let help = match builtin {
                    Some(k) => Some(format!("did you mean `{k}`? built-in types are lowercase")),
                    None => did_you_mean(name, types.names()),
                };
                d.push(
                    Diagnostic::error(
                        Code::UnknownType,
                        ty.kind_loc,
                        format!("unknown type `{name}`"),
                    )
                    .expected("a built-in type or a type declared under `types:`")
                    .maybe_help(help),
                );
            }
        }
        TypeKind::String(s) => {
            if let Some(p) = &s.pattern
                && let Err(e) = regex_lite::Regex::new(p)
            {
                d.push(
                    Diagnostic::error(
                        Code::InvalidRegex,
                        p.loc,
                        format!("the pattern is not a valid regular expression: {e}"),
                    )
                    .expected("a regular expression (regex-lite syntax)")
                    .found(format!("{:?}", p.as_str())),
                );
            } else if let Some(p) = &s.pattern
                && let Err(what) = crate::emit::regex::portable(p)
            {
                d.push(
                    Diagnostic::error(
                        Code::InvalidRegex,
                        p.loc,
                        format!("the pattern uses {what}, which the Kotlin and Swift clients cannot match as the Rust one does"),
                    )
                    .expected("a pattern every client matches alike (see docs/spec-format.md, Patterns)")
                    .found(format!("{:?}", p.as_str()))
                    .help("write it without that construct"),
                );
            }
            bounds(
                s.min_length.as_ref().map(|v| (v.value as f64, v.loc)),
                s.max_length.as_ref().map(|v| (v.value as f64, v.loc)),
                "min_length",
                "max_length",
                d,
            );
            if let Some(values) = &s.values {
                enum_values(values, "string", d);
            }
        }
        TypeKind::Integer(n) | TypeKind::Number(n) => {
            bounds(
                n.minimum.as_ref().map(|v| (v.value, v.loc)),
                n.maximum.as_ref().map(|v| (v.value, v.loc)),
                "minimum",
                "maximum",
                d,
            );
            if let Some(values) = &n.values {
                let kind = if matches!(ty.kind, TypeKind::Integer(_)) {
                    "integer"
                } else {
                    "number"
                };
                enum_values(values, kind, d);
            }
        }
        TypeKind::Boolean(b) => {
            if let Some(values) = &b.values {
                enum_values(values, "boolean", d);
            }
        }
        TypeKind::Object(o) => {
            field_names(&o.fields, d);
            for f in &o.fields {
                field_rules(types, &f.value, d);
            }
        }
        TypeKind::Array(a) => {
            bounds(
                a.min_items.as_ref().map(|v| (v.value as f64, v.loc)),
                a.max_items.as_ref().map(|v| (v.value as f64, v.loc)),
                "min_items",
                "max_items",
                d,
            );
            type_rules(types, &a.items, d);
        }
        TypeKind::Any => {}
    }
}

fn bounds(
    min: Option<(f64, Loc)>,
    max: Option<(f64, Loc)>,
    min_key: &str,
    max_key: &str,
    d: &mut Diagnostics,
) {
    if let (Some((lo, _)), Some((hi, loc))) = (min, max)
        && lo > hi
    {
        d.push(
            Diagnostic::error(
                Code::BadBounds,
                loc,
                format!("`{max_key}` ({hi}) is below `{min_key}` ({lo})"),
            )
            .expected(format!("`{min_key}` ≤ `{max_key}`")),
        );
    }
}

/// Members fit the kind, appear once, and stay distinct as variants in every
/// target language.
fn enum_values(values: &[EnumValue], kind: &str, d: &mut Diagnostics) {
    let mut seen: Vec<(&Scalar, Loc)> = Vec::new();
    let mut variants: HashMap<(usize, String), (String, Loc)> = HashMap::new();
    for v in values {
        let fits = matches!(
            (kind, &v.value.value),
            ("string", Scalar::Str(_))
                | ("integer", Scalar::Int(_))
                | ("number", Scalar::Int(_) | Scalar::Num(_))
                | ("boolean", Scalar::Bool(_))
        );
        if !fits {
            let mut diag = Diagnostic::error(
                Code::InvalidValue,
                v.value.loc,
                format!("`{}` is not a {kind}", v.value.value),
            )
            .expected(format!("members of the {kind} type"));
            if kind == "string" {
                diag = diag.help(format!("quote it: \"{}\"", v.value.value));
            }
            d.push(diag);
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(s, _)| **s == v.value.value) {
            d.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    v.value.loc,
                    format!("`{}` is listed twice", v.value.value),
                )
                .note(*first, "first listed here"),
            );
            continue;
        }
        seen.push((&v.value.value, v.value.loc));
        if let Some(name) = &v.name {
            upper_camel(name, "a variant name", d);
        }
        if matches!(kind, "string" | "integer") {
            let neutral = v.name.as_ref().map_or_else(
                || naming::variant(&v.value.value.to_string()),
                |n| n.value.clone(),
            );
            if neutral == "Unlisted" {
                d.push(
                    Diagnostic::error(Code::NameCollision, v.value.loc, "the variant `Unlisted` is the catch-all of every enumeration")
                        .help(format!("give this member another `name`, e.g. `{{ value: {}, name: UnlistedValue }}`", v.value.value)),
                );
                continue;
            }
            for (t, target) in naming::TARGETS.iter().enumerate() {
                let variant = target.variant(&neutral);
                if let Some((other, first)) = variants.get(&(t, variant.clone())) {
                    d.push(
                        Diagnostic::error(
                            Code::NameCollision,
                            v.value.loc,
                            format!(
                                "`{}` and `{other}` both become the {} variant `{variant}`",
                                v.value.value,
                                target.language()
                            ),
                        )
                        .note(*first, "the other is here")
                        .help("give one of them a `name`"),
                    );
                    break;
                }
                variants.insert((t, variant), (v.value.value.to_string(), v.value.loc));
            }
        }
    }
}

/// E106: an UpperCamel name.
fn upper_camel(name: &crate::spec::Sp<String>, what: &str, d: &mut Diagnostics) {
    if !naming::is_upper_camel(name) {
        let suggestion = naming::type_name(name);
        d.push(
            Diagnostic::error(
                Code::BadName,
                name.loc,
                format!("`{}` is not UpperCamel", name.as_str()),
            )
            .expected(format!(
                "{what} in UpperCamel (letters and digits, starting with an uppercase letter)"
            ))
            .found(format!("`{}`", name.as_str()))
            .maybe_help(
                naming::is_upper_camel(&suggestion)
                    .then(|| format!("did you mean `{suggestion}`?")),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::closest_code;

    #[test]
    fn only_swapped_digits_suggest_a_code() {
        let codes: Vec<String> = ["2101", "2102", "2390"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(closest_code("2120", &codes).as_deref(), Some("2102"));
        assert_eq!(
            closest_code("2395", &codes),
            None,
            "a digit apart: unrelated"
        );
        assert_eq!(closest_code("2103", &codes), None);
        assert_eq!(closest_code("1202", &codes).as_deref(), Some("2102"));
        assert_eq!(closest_code("0122", &codes), None, "not neighbours");
    }
}
