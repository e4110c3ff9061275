//! Parameters, results and events: fields by wire name, types where they
//! sit, enumerations by value, constraints. Every check knows its
//! direction: what the app sends (parameters) is judged by what the new SDK
//! accepts, what it receives (results, events) by what the old app decodes.

use crate::ir::{
    EnumDef, EnumRepr, FieldIr, Ir, MemberIr, Module, NumberIr, OperationIr, StringIr, StructDef,
    Ty, TyKind, TypeDef, TypeDefKind,
};
use crate::naming::rust as naming;
use crate::source::Loc;

use super::{Class, Cx, Id, Rust, Scope, Wire, c, class, msg, t};

/// Which way data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// From the app to the SDK: parameters.
    Sent,
    /// From the SDK to the app: results and events.
    Received,
}

/// One side-by-side walk of an operation's data.
pub(crate) struct Walk<'a> {
    pub old_ir: &'a Ir,
    pub new_ir: &'a Ir,
    pub old_module: &'a Module,
    pub new_module: &'a Module,
    pub old_op: &'a OperationIr,
    pub new_op: &'a OperationIr,
    pub dir: Dir,
    pub scope: Scope,
}

/// The struct pairs being compared, by neutral name (recursive types end).
pub(crate) type Stack = Vec<(String, String)>;

/// `parent.wire`.
fn join(parent: &str, wire: &str) -> String {
    if parent.is_empty() {
        wire.to_owned()
    } else {
        format!("{parent}.{wire}")
    }
}

/// A path as messages show it: a parameter by its own path (`vin`,
/// `location.lat`), received data from its root (`result.trips[].id`).
fn shown<'p>(w: &Walk<'_>, path: &'p str) -> &'p str {
    match w.dir {
        Dir::Sent => path.strip_prefix("parameters.").unwrap_or(path),
        Dir::Received => path,
    }
}

/// How messages name the thing at `path`: `parameter `vin``, or the path of
/// received data.
fn subject(w: &Walk<'_>, path: &str) -> Vec<super::Piece> {
    match w.dir {
        Dir::Sent => vec![t("parameter "), c(shown(w, path))],
        Dir::Received => vec![c(path)],
    }
}

/// `head`, ` of `, the subject, `tail`.
fn of_subject(
    w: &Walk<'_>,
    path: &str,
    head: Vec<super::Piece>,
    tail: Vec<super::Piece>,
) -> super::Message {
    let mut pieces = head;
    pieces.push(t(" of "));
    pieces.extend(subject(w, path));
    pieces.extend(tail);
    msg(pieces)
}

/// `subject`, then more pieces.
fn about(w: &Walk<'_>, path: &str, rest: Vec<super::Piece>) -> super::Message {
    let mut pieces = subject(w, path);
    pieces.extend(rest);
    msg(pieces)
}

/// Compares two lists of fields; `at` is where their owners are, for what
/// exists on one side only.
pub(crate) fn fields(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    old: &[FieldIr],
    new: &[FieldIr],
    at: (Loc, Loc),
    stack: &mut Stack,
) {
    for o in old {
        let p = join(path, &o.wire);
        match new.iter().find(|n| n.wire == o.wire) {
            Some(n) => field(cx, w, &p, o, n, stack),
            None => field_removed(cx, w, &p, o, at.1),
        }
    }
    for n in new {
        if !old.iter().any(|o| o.wire == n.wire) {
            field_added(cx, w, &join(path, &n.wire), n, at.0);
        }
    }
    if w.dir == Dir::Sent {
        reordered(cx, w, path, old, new, at);
    }
}

fn field(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, o: &FieldIr, n: &FieldIr, stack: &mut Stack) {
    let at = (o.loc, n.loc);
    if o.required != n.required {
        required_changed(cx, w, path, o, n);
    }
    default_changed(cx, w, path, o, n);
    ty(
        cx,
        w,
        path,
        &o.ty,
        &n.ty,
        (o.required, n.required),
        at,
        stack,
    );
}

/// The Rust type of a field is an `Option` when it is optional or nullable.
fn optional_in_rust(required: bool, nullable: bool) -> bool {
    !required || nullable
}

/// `parameter-added-required`, `parameter-added-optional`, `result-field-added`.
fn field_added(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, n: &FieldIr, old_at: Loc) {
    let (id, class, what) = match (w.dir, n.required) {
        (Dir::Sent, true) => (
            Id::ParameterAddedRequired,
            class(
                Wire::Breaking,
                "apps built on the old spec do not send it",
                Rust::Major,
                "`new()` takes it",
            ),
            "new required parameter ",
        ),
        (Dir::Sent, false) => (
            Id::ParameterAddedOptional,
            class(
                Wire::Compatible,
                "the SDK does without it",
                Rust::Minor,
                "a new optional field of a `#[non_exhaustive]` struct",
            ),
            "new optional parameter ",
        ),
        (Dir::Received, _) => (
            Id::ResultFieldAdded,
            class(
                Wire::Compatible,
                "received objects ignore keys they do not know",
                Rust::Minor,
                "a new field of a `#[non_exhaustive]` struct",
            ),
            "new field ",
        ),
    };
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        msg(vec![t(what), c(shown(w, path))]),
        Some(old_at),
        Some(n.loc),
    );
}

/// `parameter-removed`, `result-field-removed`.
fn field_removed(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, o: &FieldIr, new_at: Loc) {
    let (id, class, what) = match (w.dir, o.required) {
        (Dir::Sent, _) => (
            Id::ParameterRemoved,
            class(
                Wire::Breaking,
                "apps that send it are no longer understood",
                Rust::Major,
                "the field is gone",
            ),
            "parameter ",
        ),
        (Dir::Received, true) => (
            Id::ResultFieldRemoved,
            class(
                Wire::Breaking,
                "apps built on the old spec require it: decoding fails",
                Rust::Major,
                "the field is gone",
            ),
            "required field ",
        ),
        (Dir::Received, false) => (
            Id::ResultFieldRemoved,
            class(
                Wire::Compatible,
                "apps built on the old spec already cope with its absence",
                Rust::Major,
                "the field is gone",
            ),
            "optional field ",
        ),
    };
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        msg(vec![t(what), c(shown(w, path)), t(" was removed")]),
        Some(o.loc),
        Some(new_at),
    );
}

/// `parameter-became-required`, `parameter-became-optional`,
/// `result-field-became-required`, `result-field-became-optional`.
fn required_changed(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, o: &FieldIr, n: &FieldIr) {
    let same_rust =
        optional_in_rust(o.required, o.ty.nullable) == optional_in_rust(n.required, n.ty.nullable);
    let (rust, rust_reason) = if same_rust {
        (
            Rust::Patch,
            "its Rust type is an `Option` either way (it is nullable)",
        )
    } else {
        (
            Rust::Major,
            "its Rust type changes between `T` and `Option<T>`",
        )
    };
    let (id, class) = match (w.dir, n.required) {
        (Dir::Sent, true) => (
            Id::ParameterBecameRequired,
            class(
                Wire::Breaking,
                "apps built on the old spec may leave it out",
                Rust::Major,
                "`new()` takes it",
            ),
        ),
        (Dir::Sent, false) => (
            Id::ParameterBecameOptional,
            class(
                Wire::Compatible,
                "apps built on the old spec always send it",
                Rust::Major,
                "`new()` no longer takes it",
            ),
        ),
        (Dir::Received, true) => (
            Id::ResultFieldBecameRequired,
            class(
                Wire::Compatible,
                "the SDK now always sends it",
                rust,
                rust_reason,
            ),
        ),
        (Dir::Received, false) => (
            Id::ResultFieldBecameOptional,
            class(
                Wire::Breaking,
                "apps built on the old spec expect it in every message",
                rust,
                rust_reason,
            ),
        ),
    };
    let word = if n.required {
        " is required"
    } else {
        " is optional"
    };
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        about(w, path, vec![t(word)]),
        Some(o.loc),
        Some(n.loc),
    );
}

/// `default-changed`.
fn default_changed(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, o: &FieldIr, n: &FieldIr) {
    if o.default == n.default {
        return;
    }
    let class = match (&o.default, &n.default, w.dir) {
        (Some(_), Some(_), Dir::Sent) => class(
            Wire::Breaking,
            "apps that leave it out get another value",
            Rust::Patch,
            "docs only",
        ),
        (Some(_), Some(_), Dir::Received) => class(
            Wire::Breaking,
            "apps built on the old spec assume the old value when it is absent",
            Rust::Patch,
            "docs only",
        ),
        _ => class(
            Wire::Info,
            "the spec documents, or stops documenting, what is assumed",
            Rust::Patch,
            "docs only",
        ),
    };
    let show =
        |v: &Option<serde_json::Value>| v.as_ref().map_or("none".to_owned(), |v| v.to_string());
    cx.push(
        Some(&w.scope),
        Id::DefaultChanged,
        path,
        class,
        {
            let mut p = vec![t("the default of ")];
            p.extend(subject(w, path));
            p.extend([
                t(" is "),
                c(show(&n.default)),
                t(" instead of "),
                c(show(&o.default)),
            ]);
            msg(p)
        },
        Some(o.loc),
        Some(n.loc),
    )
    .values(Some(show(&o.default)), Some(show(&n.default)));
}

/// `parameters-reordered`: the required fields of a sent struct, which
/// `new()` takes in order, are in another order.
fn reordered(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    old: &[FieldIr],
    new: &[FieldIr],
    at: (Loc, Loc),
) {
    let both = |a: &[FieldIr], b: &[FieldIr]| -> Vec<String> {
        a.iter()
            .filter(|f| f.required && b.iter().any(|g| g.required && g.wire == f.wire))
            .map(|f| f.wire.clone())
            .collect()
    };
    let (o, n) = (both(old, new), both(new, old));
    if o == n {
        return;
    }
    let class = class(
        Wire::Info,
        "parameters are a JSON object: their order does not matter on the wire",
        Rust::Major,
        "`new()` takes its required arguments in another order",
    );
    cx.push(
        Some(&w.scope),
        Id::ParametersReordered,
        path,
        class,
        msg(vec![
            t("the required fields of "),
            c(path),
            t(" are in the order "),
            c(n.join(", ")),
            t(" instead of "),
            c(o.join(", ")),
        ]),
        Some(at.0),
        Some(at.1),
    )
    .values(Some(o.join(", ")), Some(n.join(", ")));
}

/// What a type is once references and aliases are followed.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Str(&'a StringIr),
    Int(&'a NumberIr),
    Num(&'a NumberIr),
    Bool,
    Any,
    Array {
        items: &'a Ty,
        min: Option<u64>,
        max: Option<u64>,
    },
    Enum(&'a EnumDef),
    Object(&'a StructDef),
    /// A reference that does not resolve (cannot happen in a checked IR).
    Missing,
}

/// The broad kind, for type changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Str,
    StrEnum,
    Int,
    IntEnum,
    Num,
    Bool,
    Any,
    Array,
    Object,
    Missing,
}

impl Cat {
    fn word(self) -> &'static str {
        match self {
            Cat::Str => "string",
            Cat::StrEnum => "string enumeration",
            Cat::Int => "integer",
            Cat::IntEnum => "integer enumeration",
            Cat::Num => "number",
            Cat::Bool => "boolean",
            Cat::Any => "any",
            Cat::Array => "array",
            Cat::Object => "object",
            Cat::Missing => "unknown",
        }
    }
}

#[derive(Clone, Copy)]
struct Shape<'a> {
    kind: Kind<'a>,
    /// The generated type referenced at the use site (its Rust name).
    def: Option<&'a TypeDef>,
    nullable: bool,
}

impl Shape<'_> {
    fn cat(&self) -> Cat {
        match self.kind {
            Kind::Str(_) => Cat::Str,
            Kind::Int(_) => Cat::Int,
            Kind::Num(_) => Cat::Num,
            Kind::Bool => Cat::Bool,
            Kind::Any => Cat::Any,
            Kind::Array { .. } => Cat::Array,
            Kind::Enum(e) if e.repr == EnumRepr::Str => Cat::StrEnum,
            Kind::Enum(_) => Cat::IntEnum,
            Kind::Object(_) => Cat::Object,
            Kind::Missing => Cat::Missing,
        }
    }
}

fn resolve<'a>(ir: &'a Ir, module: &'a Module, ty: &'a Ty) -> Shape<'a> {
    let mut nullable = ty.nullable;
    let mut def = None;
    let mut cur = ty;
    // aliases of aliases end: the checker refuses cycles, this bounds them anyway
    for _ in 0..32 {
        let kind = match &cur.kind {
            TyKind::String(s) => Kind::Str(s),
            TyKind::Integer(n) => Kind::Int(n),
            TyKind::Number(n) => Kind::Num(n),
            TyKind::Boolean { .. } => Kind::Bool,
            TyKind::Any => Kind::Any,
            TyKind::Array {
                items,
                min_items,
                max_items,
            } => Kind::Array {
                items,
                min: *min_items,
                max: *max_items,
            },
            TyKind::Ref(r) => match ir.resolve(module, r) {
                Some(d) => {
                    def.get_or_insert(d);
                    match &d.kind {
                        TypeDefKind::Struct(s) => Kind::Object(s),
                        TypeDefKind::Enum(e) => Kind::Enum(e),
                        TypeDefKind::Alias(inner) => {
                            nullable |= inner.nullable;
                            cur = inner;
                            continue;
                        }
                        TypeDefKind::Request(_) => Kind::Missing,
                    }
                }
                None => Kind::Missing,
            },
        };
        return Shape {
            kind,
            def,
            nullable,
        };
    }
    Shape {
        kind: Kind::Missing,
        def,
        nullable,
    }
}

/// The kind of `ty` in words, on the old or the new side.
pub(crate) fn kind_name(w: &Walk<'_>, ty: &Ty, old_side: bool) -> String {
    let shape = if old_side {
        resolve(w.old_ir, w.old_module, ty)
    } else {
        resolve(w.new_ir, w.new_module, ty)
    };
    shape.cat().word().to_owned()
}

/// Whether what an app built on the old spec sends is still accepted.
fn accepts_sent(old: Cat, new: Cat) -> bool {
    old == new
        || new == Cat::Any
        || matches!(
            (old, new),
            (Cat::Int | Cat::IntEnum, Cat::Num)
                | (Cat::StrEnum, Cat::Str)
                | (Cat::IntEnum, Cat::Int)
        )
}

/// Whether what the new SDK sends still decodes in an app built on the old
/// spec (its enumerations have a catch-all).
fn decodes_received(old: Cat, new: Cat) -> bool {
    old == new
        || old == Cat::Any
        || matches!(
            (old, new),
            (Cat::Num, Cat::Int | Cat::IntEnum)
                | (Cat::Str | Cat::StrEnum, Cat::Str | Cat::StrEnum)
                | (Cat::Int | Cat::IntEnum, Cat::Int | Cat::IntEnum)
        )
}

/// Compares two types at a use site. `required`: whether the field is
/// required on each side (a result or event itself counts as required).
#[allow(clippy::too_many_arguments)] // reason: the walk's state; a struct would only rename it
pub(crate) fn ty(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    old: &Ty,
    new: &Ty,
    required: (bool, bool),
    at: (Loc, Loc),
    stack: &mut Stack,
) {
    let os = resolve(w.old_ir, w.old_module, old);
    let ns = resolve(w.new_ir, w.new_module, new);
    if os.nullable != ns.nullable {
        nullable_changed(cx, w, path, (os.nullable, ns.nullable), required, at);
    }
    let (oc, nc) = (os.cat(), ns.cat());
    if oc != nc {
        type_changed(cx, w, path, oc, nc, at);
        return;
    }
    if let (Some(od), Some(nd)) = (os.def, ns.def) {
        renamed(cx, w, path, od, nd, at);
    }
    let def_at = (
        os.def.map_or(at.0, |d| d.loc),
        ns.def.map_or(at.1, |d| d.loc),
    );
    match (os.kind, ns.kind) {
        (Kind::Str(a), Kind::Str(b)) => string_constraints(cx, w, path, a, b, at),
        (Kind::Int(a), Kind::Int(b)) | (Kind::Num(a), Kind::Num(b)) => {
            number_constraints(cx, w, path, a, b, at);
            number_members(cx, w, path, &a.values, &b.values, at);
        }
        (
            Kind::Array {
                items: oi,
                min: omin,
                max: omax,
            },
            Kind::Array {
                items: ni,
                min: nmin,
                max: nmax,
            },
        ) => {
            let f = |v: Option<u64>| v.map(|n| n as f64);
            bound(cx, w, path, "min_items", Side::Lower, f(omin), f(nmin), at);
            bound(cx, w, path, "max_items", Side::Upper, f(omax), f(nmax), at);
            ty(cx, w, &format!("{path}[]"), oi, ni, (true, true), at, stack);
        }
        (Kind::Enum(a), Kind::Enum(b)) => members(cx, w, path, a, b, def_at),
        (Kind::Object(a), Kind::Object(b)) => {
            let key = (
                os.def.map(|d| d.name.clone()).unwrap_or_default(),
                ns.def.map(|d| d.name.clone()).unwrap_or_default(),
            );
            if stack.contains(&key) {
                return;
            }
            stack.push(key);
            additional_changed(cx, w, path, a, b, def_at);
            fields(cx, w, path, &a.fields, &b.fields, def_at, stack);
            stack.pop();
        }
        _ => {}
    }
}

/// `parameter-type-changed`, `result-type-changed`.
fn type_changed(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, old: Cat, new: Cat, at: (Loc, Loc)) {
    let (id, class) = match w.dir {
        Dir::Sent if accepts_sent(old, new) => (
            Id::ParameterTypeChanged,
            class(
                Wire::Compatible,
                "the SDK accepts every value apps built on the old spec send",
                Rust::Major,
                "the field's Rust type changes",
            ),
        ),
        Dir::Sent => (
            Id::ParameterTypeChanged,
            class(
                Wire::Breaking,
                "the SDK refuses values apps built on the old spec send",
                Rust::Major,
                "the field's Rust type changes",
            ),
        ),
        Dir::Received if decodes_received(old, new) => (
            Id::ResultTypeChanged,
            class(
                Wire::Compatible,
                "apps built on the old spec still decode what the SDK sends",
                Rust::Major,
                "the field's Rust type changes",
            ),
        ),
        Dir::Received => (
            Id::ResultTypeChanged,
            class(
                Wire::Breaking,
                "apps built on the old spec cannot decode what the SDK sends",
                Rust::Major,
                "the field's Rust type changes",
            ),
        ),
    };
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        about(
            w,
            path,
            vec![t(" is "), c(new.word()), t(" instead of "), c(old.word())],
        ),
        Some(at.0),
        Some(at.1),
    )
    .values(Some(old.word().into()), Some(new.word().into()));
}

/// `nullable-added`, `nullable-removed`.
fn nullable_changed(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    (was, now): (bool, bool),
    (old_req, new_req): (bool, bool),
    at: (Loc, Loc),
) {
    let same_rust = optional_in_rust(old_req, was) == optional_in_rust(new_req, now);
    let (rust, rust_reason) = if same_rust {
        (
            Rust::Patch,
            "its Rust type is an `Option` either way (it is optional)",
        )
    } else {
        (
            Rust::Major,
            "its Rust type changes between `T` and `Option<T>`",
        )
    };
    let (id, class) = match (now, w.dir) {
        (true, Dir::Sent) => (
            Id::NullableAdded,
            class(
                Wire::Compatible,
                "the SDK accepts `null` as well",
                rust,
                rust_reason,
            ),
        ),
        (true, Dir::Received) if new_req => (
            Id::NullableAdded,
            class(
                Wire::Breaking,
                "apps built on the old spec do not expect `null` there",
                rust,
                rust_reason,
            ),
        ),
        (true, Dir::Received) => (
            Id::NullableAdded,
            class(
                Wire::Compatible,
                "apps built on the old spec read `null` as absent",
                rust,
                rust_reason,
            ),
        ),
        (false, Dir::Sent) => (
            Id::NullableRemoved,
            class(
                Wire::Breaking,
                "apps that send `null` are refused",
                rust,
                rust_reason,
            ),
        ),
        (false, Dir::Received) => (
            Id::NullableRemoved,
            class(
                Wire::Compatible,
                "the SDK no longer sends `null`",
                rust,
                rust_reason,
            ),
        ),
    };
    let word = if now {
        " may be "
    } else {
        " may no longer be "
    };
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        about(w, path, vec![t(word), c("null")]),
        Some(at.0),
        Some(at.1),
    );
}

/// The Rust path of a generated type, for messages: `types::Trip`, or the
/// api module's `vehicle::trips::TripsResult`.
fn rust_path(ir: &Ir, module: &Module, def: &TypeDef) -> String {
    let name = naming::type_name(&def.name);
    if ir.named(&def.name).is_some_and(|d| std::ptr::eq(d, def)) {
        format!("types::{name}")
    } else {
        format!("{}::{name}", naming::module_path(&module.api).join("::"))
    }
}

/// `type-renamed`: the same shape under another Rust name. Reported once per
/// pair of names; types named after a renamed operation are reported with it.
fn renamed(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, od: &TypeDef, nd: &TypeDef, at: (Loc, Loc)) {
    let (a, b) = (
        rust_path(w.old_ir, w.old_module, od),
        rust_path(w.new_ir, w.new_module, nd),
    );
    if a == b {
        return;
    }
    let (op_a, op_b) = (&w.old_op.type_name, &w.new_op.type_name);
    if op_a != op_b
        && let (Some(x), Some(y)) = (
            od.name.strip_prefix(op_a.as_str()),
            nd.name.strip_prefix(op_b.as_str()),
        )
        && x == y
    {
        return;
    }
    if w.old_ir.named(&od.name).is_some() && w.new_ir.named(&nd.name).is_some() {
        cx.named_renames.insert((od.name.clone(), nd.name.clone()));
    }
    if !cx.renamed.insert((a.clone(), b.clone())) {
        return;
    }
    let class = class(
        Wire::Info,
        "its wire form is the same",
        Rust::Major,
        "code that names the old type no longer compiles",
    );
    cx.push(
        Some(&w.scope),
        Id::TypeRenamed,
        path,
        class,
        msg(vec![t("type "), c(&a), t(" is now "), c(&b)]),
        Some(od.loc),
        Some(nd.loc),
    )
    .values(Some(a), Some(b));
    let _ = at;
}

/// `enum-member-added`, `enum-member-removed`, `enum-member-renamed`.
fn members(cx: &mut Cx<'_>, w: &Walk<'_>, path: &str, a: &EnumDef, b: &EnumDef, at: (Loc, Loc)) {
    for v in &a.variants {
        match b.variants.iter().find(|x| x.value == v.value) {
            Some(x) => {
                let (ra, rb) = (naming::variant(&v.name), naming::variant(&x.name));
                if ra != rb {
                    let class = class(
                        Wire::Info,
                        "the wire value is the same",
                        Rust::Major,
                        "code that names the old variant no longer compiles",
                    );
                    cx.push(
                        Some(&w.scope),
                        Id::EnumMemberRenamed,
                        path,
                        class,
                        of_subject(
                            w,
                            path,
                            vec![t("the member "), c(&v.value)],
                            vec![t(" is the variant "), c(&rb), t(" instead of "), c(&ra)],
                        ),
                        Some(v.loc),
                        Some(x.loc),
                    )
                    .values(Some(ra), Some(rb));
                }
            }
            None => {
                let class = match w.dir {
                    Dir::Sent => class(
                        Wire::Breaking,
                        "apps that send it are refused",
                        Rust::Major,
                        "the variant is gone",
                    ),
                    Dir::Received => class(
                        Wire::Compatible,
                        "the SDK no longer sends it",
                        Rust::Major,
                        "the variant is gone",
                    ),
                };
                cx.push(
                    Some(&w.scope),
                    Id::EnumMemberRemoved,
                    path,
                    class,
                    of_subject(
                        w,
                        path,
                        vec![t("the member "), c(&v.value)],
                        vec![t(" was removed")],
                    ),
                    Some(v.loc),
                    Some(at.1),
                )
                .values(Some(v.value.to_string()), None);
            }
        }
    }
    for x in &b.variants {
        if a.variants.iter().any(|v| v.value == x.value) {
            continue;
        }
        let class = match w.dir {
            Dir::Sent => class(
                Wire::Compatible,
                "the SDK accepts one more value",
                Rust::Minor,
                "a new variant of a `#[non_exhaustive]` enum",
            ),
            Dir::Received => class(
                Wire::Compatible,
                "apps built on the old spec receive it as `Unlisted`",
                Rust::Minor,
                "a new variant of a `#[non_exhaustive]` enum; code that inspected `Unlisted` for this value must match the new variant",
            ),
        };
        cx.push(
            Some(&w.scope),
            Id::EnumMemberAdded,
            path,
            class,
            of_subject(w, path, vec![t("new member "), c(&x.value)], vec![]),
            Some(at.0),
            Some(x.loc),
        )
        .values(None, Some(x.value.to_string()));
    }
}

/// Members of number enumerations (not Rust enums: only checks and docs).
fn number_members(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    a: &[MemberIr],
    b: &[MemberIr],
    at: (Loc, Loc),
) {
    let list = |m: &[MemberIr]| {
        m.iter()
            .map(|m| m.value.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return,
        (true, false) | (false, true) => {
            let (o, n) = (
                (!a.is_empty()).then(|| list(a)),
                (!b.is_empty()).then(|| list(b)),
            );
            constraint(cx, w, path, "values", o, n, !b.is_empty(), at);
            return;
        }
        (false, false) => {}
    }
    let rust = "numbers are not Rust enums: only the runtime's checks and the docs change";
    for m in a.iter().filter(|m| !b.iter().any(|x| x.value == m.value)) {
        let class = match w.dir {
            Dir::Sent => class(
                Wire::Breaking,
                "apps that send it are refused",
                Rust::Patch,
                rust,
            ),
            Dir::Received => class(
                Wire::Compatible,
                "the SDK no longer sends it",
                Rust::Patch,
                rust,
            ),
        };
        cx.push(
            Some(&w.scope),
            Id::EnumMemberRemoved,
            path,
            class,
            of_subject(
                w,
                path,
                vec![t("the member "), c(&m.value)],
                vec![t(" was removed")],
            ),
            Some(at.0),
            Some(at.1),
        )
        .values(Some(m.value.to_string()), None);
    }
    for m in b.iter().filter(|m| !a.iter().any(|x| x.value == m.value)) {
        let class = match w.dir {
            Dir::Sent => class(
                Wire::Compatible,
                "the SDK accepts one more value",
                Rust::Patch,
                rust,
            ),
            Dir::Received => class(
                Wire::Breaking,
                "apps built on the old spec were promised the old values (numbers have no catch-all)",
                Rust::Patch,
                rust,
            ),
        };
        cx.push(
            Some(&w.scope),
            Id::EnumMemberAdded,
            path,
            class,
            of_subject(w, path, vec![t("new member "), c(&m.value)], vec![]),
            Some(at.0),
            Some(at.1),
        )
        .values(None, Some(m.value.to_string()));
    }
}

/// `additional-keys-changed`.
fn additional_changed(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    a: &StructDef,
    b: &StructDef,
    at: (Loc, Loc),
) {
    if a.additional == b.additional {
        return;
    }
    let class = match (b.additional, w.dir) {
        (true, Dir::Sent) => class(
            Wire::Compatible,
            "the SDK accepts keys the spec does not list",
            Rust::Minor,
            "a new `additional` field of a `#[non_exhaustive]` struct",
        ),
        (false, Dir::Sent) => class(
            Wire::Breaking,
            "keys the spec does not list are refused",
            Rust::Major,
            "the `additional` field is gone",
        ),
        (true, Dir::Received) => class(
            Wire::Compatible,
            "keys the spec does not list are kept",
            Rust::Minor,
            "a new `additional` field of a `#[non_exhaustive]` struct",
        ),
        (false, Dir::Received) => class(
            Wire::Compatible,
            "keys the spec does not list are ignored",
            Rust::Major,
            "the `additional` field is gone",
        ),
    };
    let word = if b.additional {
        " keeps keys the spec does not list"
    } else {
        " no longer keeps keys the spec does not list"
    };
    cx.push(
        Some(&w.scope),
        Id::AdditionalKeysChanged,
        path,
        class,
        msg(vec![
            c(if path.is_empty() { "parameters" } else { path }),
            t(word),
        ]),
        Some(at.0),
        Some(at.1),
    );
}

/// Which end of a range a bound is.
#[derive(Clone, Copy)]
enum Side {
    Lower,
    Upper,
}

/// A bound (`minimum`, `max_length`, …): raised or lowered.
#[allow(clippy::too_many_arguments)] // reason: one line per bound at the call sites
fn bound(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    what: &str,
    side: Side,
    old: Option<f64>,
    new: Option<f64>,
    at: (Loc, Loc),
) {
    let tighter = match (old, new) {
        (None, None) => return,
        (Some(_), None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) if a == b => return,
        (Some(a), Some(b)) => match side {
            Side::Lower => b > a,
            Side::Upper => b < a,
        },
    };
    let show = |v: Option<f64>| v.map(|v| v.to_string());
    constraint(cx, w, path, what, show(old), show(new), tighter, at);
}

fn string_constraints(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    a: &StringIr,
    b: &StringIr,
    at: (Loc, Loc),
) {
    let f = |v: Option<u64>| v.map(|n| n as f64);
    bound(
        cx,
        w,
        path,
        "min_length",
        Side::Lower,
        f(a.min_length),
        f(b.min_length),
        at,
    );
    bound(
        cx,
        w,
        path,
        "max_length",
        Side::Upper,
        f(a.max_length),
        f(b.max_length),
        at,
    );
    for (what, o, n) in [
        ("pattern", &a.pattern, &b.pattern),
        ("format", &a.format, &b.format),
    ] {
        match (o, n) {
            (None, None) => {}
            (Some(x), Some(y)) if x == y => {}
            (Some(_), Some(_)) => changed(cx, w, path, what, o.clone(), n.clone(), at),
            (None, Some(_)) => constraint(cx, w, path, what, None, n.clone(), true, at),
            (Some(_), None) => constraint(cx, w, path, what, o.clone(), None, false, at),
        }
    }
}

fn number_constraints(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    a: &NumberIr,
    b: &NumberIr,
    at: (Loc, Loc),
) {
    bound(
        cx,
        w,
        path,
        "minimum",
        Side::Lower,
        a.minimum,
        b.minimum,
        at,
    );
    bound(
        cx,
        w,
        path,
        "maximum",
        Side::Upper,
        a.maximum,
        b.maximum,
        at,
    );
}

/// `constraint-tightened`, `constraint-loosened`.
#[allow(clippy::too_many_arguments)] // reason: the constraint's name and both values
fn constraint(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    what: &str,
    old: Option<String>,
    new: Option<String>,
    tighter: bool,
    at: (Loc, Loc),
) {
    let class: Class = match (tighter, w.dir) {
        (true, Dir::Sent) => class(
            Wire::Breaking,
            "the SDK refuses values apps built on the old spec may send (the runtime checks them before sending)",
            Rust::Patch,
            "only the runtime's check table changes",
        ),
        (true, Dir::Received) => class(
            Wire::Compatible,
            "the SDK sends a subset of what apps built on the old spec accept",
            Rust::Patch,
            "the contract only: received values are not checked",
        ),
        (false, Dir::Sent) => class(
            Wire::Compatible,
            "the SDK accepts more values",
            Rust::Patch,
            "only the runtime's check table changes",
        ),
        (false, Dir::Received) => class(
            Wire::Breaking,
            "the SDK may send values outside what apps built on the old spec were promised",
            Rust::Patch,
            "the contract only: received values are not checked",
        ),
    };
    let id = if tighter {
        Id::ConstraintTightened
    } else {
        Id::ConstraintLoosened
    };
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
    cx.push(
        Some(&w.scope),
        id,
        path,
        class,
        about(
            w,
            path,
            vec![
                t(": "),
                c(what),
                t(" "),
                c(show(&old)),
                t(" → "),
                c(show(&new)),
            ],
        ),
        Some(at.0),
        Some(at.1),
    )
    .values(old, new);
}

/// A pattern or format replaced by another: they cannot be compared, so
/// either side may meet values the other refuses.
#[allow(clippy::too_many_arguments)] // reason: as `constraint`
fn changed(
    cx: &mut Cx<'_>,
    w: &Walk<'_>,
    path: &str,
    what: &str,
    old: Option<String>,
    new: Option<String>,
    at: (Loc, Loc),
) {
    let class = class(
        Wire::Breaking,
        "two patterns or formats cannot be compared: each may refuse values the other accepts",
        Rust::Patch,
        if w.dir == Dir::Sent {
            "only the runtime's check table changes"
        } else {
            "the contract only: received values are not checked"
        },
    );
    let show = |v: &Option<String>| v.clone().unwrap_or_default();
    cx.push(
        Some(&w.scope),
        Id::ConstraintTightened,
        path,
        class,
        about(
            w,
            path,
            vec![
                t(": "),
                c(what),
                t(" "),
                c(show(&old)),
                t(" → "),
                c(show(&new)),
            ],
        ),
        Some(at.0),
        Some(at.1),
    )
    .values(old, new);
}
