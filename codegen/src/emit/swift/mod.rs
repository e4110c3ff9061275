//! The IR to Swift: a client for iOS apps, Foundation only, `[String: Any]`
//! in and out, as the platform SDK hands them.
//!
//! - `PimsRuntime.swift` (the same for every spec): `PimsFacade`, `Pims` (the
//!   typed call, callbacks), the envelope, the check table, labels, tolerant
//!   decoding, `PimsValue` (free JSON);
//! - `PimsError.swift`: the catalogue, an `Error` enum; `Namespaces.swift`:
//!   one caseless enum per api segment (`Authentication.Smscode`) and `Types`;
//! - one file per api (`extension Authentication.Smscode { … }`): per
//!   operation a request struct (`toParameters()`: the exact, checked wire
//!   dictionary), its result and event types, and an error enum.
//!
//! Names come from `crate::naming::swift`; DocC comments are escaped like
//! rustdoc (`super::docs`). Swift is only parsed (tree-sitter-swift) on the
//! machines of this project, not compiled.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::ir::{
    CheckIr, EnumDef, EnumRepr, ErrorVariant, FieldIr, Ir, Module, OperationIr, PathSeg, RuleIr,
    StructDef, Ty, TyKind, TypeDef, TypeDefKind, TypeRef,
};
use crate::naming::swift as naming;
use crate::spec::{Scalar, Verb};

use super::regex::{Dialect, translate};
use super::{Files, Settings, docs, header, mobile};

/// The package and module when none is given.
pub const DEFAULT_PACKAGE: &str = "PimsSdk";

const RUNTIME: &str = include_str!("PimsRuntime.swift");

/// A Swift package: `Package.swift` and `Sources/<module>/`.
pub fn package_files(
    ir: &Ir,
    settings: &Settings,
    command: &str,
    package: &str,
) -> Result<Files, String> {
    let mut files = source_files(ir, settings, command, package)?;
    files.insert(
        PathBuf::from("Package.swift"),
        format!(
            "// swift-tools-version:5.5\n// {}\nimport PackageDescription\n\nlet package = Package(\n    name: {name},\n    products: [.library(name: {name}, targets: [{name}])],\n    targets: [.target(name: {name})]\n)\n",
            header(command),
            name = string(package)
        ),
    );
    Ok(files)
}

/// The client's sources, below `Sources/<module>/`.
pub fn source_files(
    ir: &Ir,
    settings: &Settings,
    command: &str,
    package: &str,
) -> Result<Files, String> {
    naming::valid_module(package).map_err(|e| format!("--package {package}: {e}"))?;
    let header = header(command);
    let base = PathBuf::from("Sources").join(package);
    let mut files = Files::new();
    files.insert(
        base.join("PimsRuntime.swift"),
        format!("// {header}\n{RUNTIME}"),
    );
    files.insert(
        base.join("PimsError.swift"),
        catalogue(ir, settings, &header),
    );
    files.insert(base.join("Namespaces.swift"), namespaces(ir, &header));
    files.insert(base.join("Types.swift"), types_file(ir, settings, &header));
    for module in &ir.modules {
        let path = naming::namespace_path(&module.api);
        let file = base.join(format!(
            "{}.swift",
            path.iter()
                .map(|s| s.trim_matches('`'))
                .collect::<Vec<_>>()
                .join(".")
        ));
        let text = api_file(ir, settings, &header, module);
        if files.insert(file.clone(), text).is_some() {
            return Err(format!("two apis write {}", file.display()));
        }
    }
    Ok(files)
}

/// A Swift string literal, with control and bidi characters as escapes.
pub fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::check::is_hidden_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `///` doc lines at `indent`.
fn doc(lines: &[String], indent: &str) -> String {
    let mut out = String::new();
    for line in lines {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {}", mobile::no_tag(line.clone()));
        }
    }
    out
}

fn int(v: i64) -> String {
    if v == i64::MIN {
        "Int64.min".to_owned()
    } else {
        v.to_string()
    }
}

fn double(v: f64) -> String {
    if v.is_nan() {
        "Double.nan".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 {
            "Double.infinity".to_owned()
        } else {
            "-Double.infinity".to_owned()
        }
    } else {
        let text = format!("{v:?}");
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    }
}

fn value(v: &Scalar) -> String {
    match v {
        Scalar::Str(s) => format!(".string({})", string(s)),
        Scalar::Int(i) => format!(".int({})", int(*i)),
        Scalar::Num(n) => format!(".double({})", double(*n)),
        Scalar::Bool(b) => format!(".bool({b})"),
    }
}

fn literal(v: &Scalar) -> String {
    match v {
        Scalar::Str(s) => string(s),
        Scalar::Int(i) => int(*i),
        Scalar::Num(n) => double(*n),
        Scalar::Bool(b) => b.to_string(),
    }
}

#[derive(Clone, Copy)]
struct Ctx<'a> {
    ir: &'a Ir,
    module: Option<&'a Module>,
}

impl<'a> Ctx<'a> {
    fn unalias<'t>(&self, ty: &'t Ty) -> std::borrow::Cow<'t, Ty>
    where
        'a: 't,
    {
        mobile::unalias(self.ir, self.module, ty)
    }

    fn def(&self, r: &TypeRef) -> Option<&'a TypeDef> {
        match (r, self.module) {
            (TypeRef::Named(n), _) => self.ir.named(n),
            (TypeRef::Local(_), Some(m)) => self.ir.resolve(m, r),
            (TypeRef::Local(_), None) => None,
        }
    }

    fn type_ref(&self, r: &TypeRef) -> String {
        match r {
            TypeRef::Named(n) if self.module.is_some() => format!("Types.{}", naming::type_name(n)),
            _ => naming::type_name(r.name()),
        }
    }

    fn ty(&self, ty: &Ty) -> String {
        let ty = self.unalias(ty);
        let inner = match &ty.kind {
            TyKind::String(_) => "String".to_owned(),
            TyKind::Integer(_) => "Int64".to_owned(),
            TyKind::Number(_) => "Double".to_owned(),
            TyKind::Boolean { .. } => "Bool".to_owned(),
            TyKind::Any => "PimsValue".to_owned(),
            TyKind::Array { items, .. } => format!("[{}]", self.ty(items)),
            TyKind::Ref(r) => self.type_ref(r),
        };
        if ty.nullable && !matches!(ty.kind, TyKind::Any) {
            format!("{inner}?")
        } else {
            inner
        }
    }

    fn field_ty(&self, f: &FieldIr) -> String {
        let ty = self.ty(&f.ty);
        let optional_any = matches!(self.unalias(&f.ty).kind, TyKind::Any) && !f.required;
        if (f.required || ty.ends_with('?')) && !optional_any {
            ty
        } else {
            format!("{ty}?")
        }
    }

    /// An expression decoding `v` (at path `p`) into `ty`.
    fn decode(&self, ty: &Ty, v: &str, p: &str, depth: usize) -> String {
        let ty = self.unalias(ty);
        let plain = Ty {
            kind: ty.kind.clone(),
            nullable: false,
        };
        let inner = match &plain.kind {
            TyKind::String(_) => format!("try PimsDecode.string({v}, at: {p})"),
            TyKind::Integer(_) => format!("try PimsDecode.integer({v}, at: {p})"),
            TyKind::Number(_) => format!("try PimsDecode.number({v}, at: {p})"),
            TyKind::Boolean { .. } => format!("try PimsDecode.boolean({v}, at: {p})"),
            TyKind::Any => return format!("PimsValue(any: {v})"),
            TyKind::Array { items, .. } => {
                let (iv, ip) = (format!("v{depth}"), format!("p{depth}"));
                format!(
                    "try PimsDecode.list({v}, at: {p}) {{ {iv}, {ip} in {} }}",
                    self.decode(items, &iv, &ip, depth + 1)
                )
            }
            TyKind::Ref(r) => format!("try {}.decode({v}, at: {p})", self.type_ref(r)),
        };
        if ty.nullable {
            let (nv, np) = (format!("n{depth}"), format!("q{depth}"));
            format!(
                "try PimsDecode.nullable({v}, at: {p}) {{ {nv}, {np} in {} }}",
                self.decode(&plain, &nv, &np, depth + 1)
            )
        } else {
            inner
        }
    }

    /// An expression encoding the non-optional Swift value `x` of `ty`.
    fn encode(&self, ty: &Ty, x: &str, depth: usize) -> String {
        let ty = self.unalias(ty);
        let plain = Ty {
            kind: ty.kind.clone(),
            nullable: false,
        };
        if ty.nullable && !matches!(ty.kind, TyKind::Any) {
            let it = format!("e{depth}");
            return format!(
                "({x}.map {{ {it} -> Any in {} }} ?? NSNull())",
                self.encode(&plain, &it, depth + 1)
            );
        }
        match &plain.kind {
            TyKind::String(_) | TyKind::Integer(_) | TyKind::Number(_) | TyKind::Boolean { .. } => {
                x.to_owned()
            }
            TyKind::Any => format!("{x}.any"),
            TyKind::Array { items, .. } => {
                let it = format!("i{depth}");
                let item = self.encode(items, &it, depth + 1);
                if item == it {
                    x.to_owned()
                } else {
                    format!("{x}.map {{ {it} -> Any in {item} }}")
                }
            }
            TyKind::Ref(r) => match self.def(r).map(|d| &d.kind) {
                Some(TypeDefKind::Enum(_)) => format!("{x}.wire"),
                _ => format!("{x}.toMap()"),
            },
        }
    }
}

fn namespaces(ir: &Ir, header: &str) -> String {
    #[derive(Default)]
    struct Node(BTreeMap<String, Node>);
    let mut root = Node::default();
    for module in &ir.modules {
        let mut node = &mut root;
        for segment in naming::namespace_path(&module.api) {
            node = node.0.entry(segment).or_default();
        }
    }
    fn write(node: &Node, indent: &str, out: &mut String) {
        for (name, child) in &node.0 {
            if child.0.is_empty() {
                let _ = writeln!(out, "{indent}public enum {name} {{}}");
            } else {
                let _ = writeln!(out, "{indent}public enum {name} {{");
                write(child, &format!("{indent}    "), out);
                let _ = writeln!(out, "{indent}}}");
            }
        }
    }
    let mut out = format!(
        "// {header}\n\n/// Named types shared by the apis.\npublic enum Types {{}}\n\n/// One namespace per api: `pims.authentication.smscode` is `Authentication.Smscode`.\n"
    );
    write(&root, "", &mut out);
    out
}

fn variant_fields(e: &ErrorVariant) -> Vec<(String, &'static str)> {
    let mut fields: Vec<(String, &'static str)> = e
        .placeholders
        .iter()
        .map(|h| (naming::placeholder(h), "String?"))
        .collect();
    if e.sub_codes {
        fields.push((naming::field("subCodes"), "[PimsValue]"));
    }
    fields
}

fn case_decl(e: &ErrorVariant) -> String {
    let fields = variant_fields(e);
    let name = naming::variant(&e.name);
    if fields.is_empty() {
        format!("case {name}")
    } else {
        let list: Vec<String> = fields.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        format!("case {name}({})", list.join(", "))
    }
}

/// `.name(label: v0, …)` (an expression), or `.name(let v0, …)` (a pattern).
fn case_use(e: &ErrorVariant, pattern: bool) -> String {
    let fields = variant_fields(e);
    let name = naming::variant(&e.name);
    if fields.is_empty() {
        return format!(".{name}");
    }
    let list: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(i, (n, _))| {
            if pattern {
                format!("let v{i}")
            } else {
                format!("{n}: v{i}")
            }
        })
        .collect();
    format!(".{name}({})", list.join(", "))
}

fn template_name(code: i64) -> String {
    if code < 0 {
        format!("pimsTemplateM{}", code.unsigned_abs())
    } else {
        format!("pimsTemplate{code}")
    }
}

fn catalogue(ir: &Ir, settings: &Settings, header: &str) -> String {
    let mut out = format!(
        "// {header}\n// Source: {}/pims.yaml\n\n",
        settings.source_root
    );
    for e in ir.errors.iter().filter(|e| !e.placeholders.is_empty()) {
        let pieces: Vec<String> = mobile::label_pieces(&e.label)
            .into_iter()
            .map(|(hole, text)| {
                if hole {
                    format!("PimsLabel.hole({})", string(&text))
                } else {
                    format!("PimsLabel.text({})", string(&text))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "fileprivate let {}: [PimsLabel.Piece] = [{}]",
            template_name(e.code),
            pieces.join(", ")
        );
    }
    out.push_str("\n/// Every error the SDK can fail with, by code. Each operation's own error converts into it.\npublic enum PimsError: Error, Equatable {\n");
    for e in &ir.errors {
        out.push_str(&doc(&docs::error_doc(e), "    "));
        let _ = writeln!(out, "    {}", case_decl(e));
    }
    out.push_str("    /// A code that is not in the catalogue.\n    case unlisted(code: Int64, label: String)\n\n");
    let arms = |f: &dyn Fn(&ErrorVariant) -> String| -> String {
        ir.errors
            .iter()
            .map(|e| {
                let pattern = format!(".{}", naming::variant(&e.name));
                format!("        case {pattern}: return {}\n", f(e))
            })
            .collect()
    };
    let _ = write!(
        out,
        "    /// The code the facade sends for this error.\n    public var code: Int64 {{\n        switch self {{\n{}        case .unlisted(let code, _): return code\n        }}\n    }}\n\n",
        arms(&|e| int(e.code))
    );
    let _ = write!(
        out,
        "    /// The catalogue's category (`generic`, `input`, …); `unlisted` for a code it does not have.\n    public var category: String {{\n        switch self {{\n{}        case .unlisted: return \"unlisted\"\n        }}\n    }}\n\n",
        arms(&|e| string(&e.category))
    );
    let _ = write!(
        out,
        "    /// The catalogue's label, placeholders as written; for an unlisted code, the label received.\n    public var template: String {{\n        switch self {{\n{}        case .unlisted(_, let label): return label\n        }}\n    }}\n\n",
        arms(&|e| string(&e.label))
    );
    let mut label_arms = String::new();
    for e in ir.errors.iter().filter(|e| !e.placeholders.is_empty()) {
        let values: Vec<String> = (0..e.placeholders.len()).map(|i| format!("v{i}")).collect();
        let _ = writeln!(
            label_arms,
            "        case {}: return PimsLabel.fill({}, [{}])",
            case_use(e, true),
            template_name(e.code),
            values.join(", ")
        );
    }
    let _ = write!(
        out,
        "    /// The label with the placeholders the facade filled in.\n    public var label: String {{\n        switch self {{\n{label_arms}        default: return template\n        }}\n    }}\n\n"
    );
    let mut wire_arms = String::new();
    for e in &ir.errors {
        let fields = variant_fields(e);
        if fields.is_empty() {
            let _ = writeln!(
                wire_arms,
                "        case {}: self = {}",
                int(e.code),
                case_use(e, false)
            );
            continue;
        }
        let mut lets = String::new();
        if !e.placeholders.is_empty() {
            let _ = write!(
                lets,
                "let holes = PimsLabel.captures({}, wire.label); ",
                template_name(e.code)
            );
        }
        let values: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, (n, _))| {
                if i < e.placeholders.len() {
                    format!("{n}: holes[{i}]")
                } else {
                    format!("{n}: wire.subCodes ?? []")
                }
            })
            .collect();
        let _ = writeln!(
            wire_arms,
            "        case {}: {lets}self = .{}({})",
            int(e.code),
            naming::variant(&e.name),
            values.join(", ")
        );
    }
    let _ = write!(
        out,
        "    /// The catalogue's error for a wire `error` (never fails: unknown codes are `unlisted`).\n    public init(wire: PimsWireError) {{\n        switch wire.code {{\n{wire_arms}        default: self = .unlisted(code: wire.code, label: wire.label)\n        }}\n    }}\n}}\n"
    );
    out
}

fn types_file(ir: &Ir, settings: &Settings, header: &str) -> String {
    let ctx = Ctx { ir, module: None };
    let mut body = String::new();
    for def in &ir.types {
        if let Some(text) = type_def(ctx, def, "    ") {
            body.push_str(&text);
            body.push('\n');
        }
    }
    format!(
        "// {header}\n// Source: {}/pims.yaml and the api files\nimport Foundation\n\nextension Types {{\n{}\n}}\n",
        settings.source_root,
        body.trim_end()
    )
}

fn type_def(ctx: Ctx<'_>, def: &TypeDef, indent: &str) -> Option<String> {
    match &def.kind {
        TypeDefKind::Struct(s) => Some(struct_def(ctx, def, s, indent)),
        TypeDefKind::Enum(e) => Some(enum_def(def, e, indent)),
        TypeDefKind::Alias(_) | TypeDefKind::Request(_) => None,
    }
}

/// Lines of `toMap()`/`toParameters()` putting `fields` into `map`.
fn encode_fields(ctx: Ctx<'_>, fields: &[FieldIr], indent: &str) -> String {
    let mut out = String::new();
    for f in fields {
        let prop = format!("self.{}", naming::field(&f.wire));
        let key = string(&f.wire);
        let optional_ty = ctx.field_ty(f).ends_with('?');
        if !optional_ty {
            let _ = writeln!(out, "{indent}map[{key}] = {}", ctx.encode(&f.ty, &prop, 0));
            continue;
        }
        let plain = Ty {
            kind: f.ty.kind.clone(),
            nullable: false,
        };
        let inner = ctx.encode(&plain, "value", 1);
        // as serde does: an absent optional field is left out, a `nullable` one is sent as `null`
        let skip = !f.required && !f.ty.nullable;
        if skip {
            let _ = writeln!(
                out,
                "{indent}if let value = {prop} {{ map[{key}] = {inner} }}"
            );
        } else {
            let _ = writeln!(
                out,
                "{indent}map[{key}] = {prop}.map {{ value -> Any in {inner} }} ?? NSNull()"
            );
        }
    }
    out
}

fn decode_field(ctx: Ctx<'_>, f: &FieldIr) -> String {
    let key = string(&f.wire);
    let plain = Ty {
        kind: f.ty.kind.clone(),
        nullable: false,
    };
    if matches!(ctx.unalias(&f.ty).kind, TyKind::Any) {
        return if f.required && !f.ty.nullable {
            format!("try PimsDecode.present(map, {key}, at: path)")
        } else if f.required {
            // `nullable`: absent is `null`, as serde's `Option` reads it
            format!("PimsValue(any: map[{key}])")
        } else {
            format!("PimsDecode.unwrap(map[{key}]).map {{ PimsValue(any: $0) }}")
        };
    }
    let decode = ctx.decode(&plain, "v", "p", 0);
    if ctx.field_ty(f).ends_with('?') {
        format!("try PimsDecode.optional(map, {key}, at: path) {{ v, p in {decode} }}")
    } else {
        format!("try PimsDecode.required(map, {key}, at: path) {{ v, p in {decode} }}")
    }
}

/// `init(…)` of `fields` (optional ones default to `nil`).
fn initializer(ctx: Ctx<'_>, fields: &[&FieldIr], additional: bool, indent: &str) -> String {
    let mut params: Vec<String> = fields
        .iter()
        .map(|f| {
            let ty = ctx.field_ty(f);
            let default = if ty.ends_with('?') { " = nil" } else { "" };
            format!("{}: {ty}{default}", naming::field(&f.wire))
        })
        .collect();
    if additional {
        params.push("additional: [String: PimsValue] = [:]".to_owned());
    }
    let mut out = format!("{indent}public init({}) {{\n", params.join(", "));
    for f in fields {
        let n = naming::field(&f.wire);
        let _ = writeln!(out, "{indent}    self.{n} = {n}");
    }
    if additional {
        let _ = writeln!(out, "{indent}    self.additional = additional");
    }
    let _ = writeln!(out, "{indent}}}");
    out
}

fn struct_def(ctx: Ctx<'_>, def: &TypeDef, s: &StructDef, indent: &str) -> String {
    let name = naming::type_name(&def.name);
    let inner = format!("{indent}    ");
    let body = format!("{inner}    ");
    let mut out = doc(&docs::type_doc(def.doc.as_deref()), indent);
    let _ = writeln!(out, "{indent}public struct {name}: Equatable {{");
    for f in &s.fields {
        out.push_str(&doc(&docs::field_doc(f), &inner));
        let _ = writeln!(
            out,
            "{inner}public var {}: {}",
            naming::field(&f.wire),
            ctx.field_ty(f)
        );
    }
    if s.additional {
        let _ = writeln!(
            out,
            "{inner}/// Keys the spec does not list, kept as they came.\n{inner}public var additional: [String: PimsValue]"
        );
    }
    out.push('\n');
    let fields: Vec<&FieldIr> = s.fields.iter().collect();
    out.push_str(&initializer(ctx, &fields, s.additional, &inner));
    let keys: Vec<String> = s.fields.iter().map(|f| string(&f.wire)).collect();
    let _ = writeln!(
        out,
        "\n{inner}static let keys: Set<String> = [{}]\n\n{inner}/// Decodes a value received at `path`.\n{inner}public static func decode(_ value: Any?, at path: String) throws -> {name} {{\n{body}let map = try PimsDecode.object(value, at: path)",
        keys.join(", ")
    );
    if s.strict && !s.additional {
        let _ = writeln!(out, "{body}try PimsDecode.strict(map, keys, at: path)");
    }
    let mut args: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "{body}    {}: {}",
                naming::field(&f.wire),
                decode_field(ctx, f)
            )
        })
        .collect();
    if s.additional {
        args.push(format!(
            "{body}    additional: PimsDecode.additional(map, keys)"
        ));
    }
    if args.is_empty() {
        let _ = writeln!(out, "{body}return {name}()");
    } else {
        let _ = writeln!(out, "{body}return {name}(\n{}\n{body})", args.join(",\n"));
    }
    let _ = writeln!(
        out,
        "{inner}}}\n\n{inner}/// The wire dictionary of this value.\n{inner}public func toMap() -> [String: Any] {{\n{body}var map: [String: Any] = [:]\n{}",
        encode_fields(ctx, &s.fields, &body)
    );
    if s.additional {
        let _ = writeln!(
            out,
            "{body}for (key, value) in self.additional {{ map[key] = value.any }}"
        );
    }
    let _ = writeln!(out, "{body}return map\n{inner}}}\n{indent}}}");
    out
}

fn enum_def(def: &TypeDef, e: &EnumDef, indent: &str) -> String {
    let name = naming::type_name(&def.name);
    let inner = format!("{indent}    ");
    let body = format!("{inner}    ");
    let wire_ty = match e.repr {
        EnumRepr::Str => "String",
        EnumRepr::Int => "Int64",
    };
    let mut out = doc(&docs::type_doc(def.doc.as_deref()), indent);
    let _ = writeln!(out, "{indent}public enum {name}: Equatable {{");
    for v in &e.variants {
        out.push_str(&doc(&docs::variant_doc(&v.value, v.doc.as_deref()), &inner));
        let _ = writeln!(out, "{inner}case {}", naming::variant(&v.name));
    }
    let _ = writeln!(
        out,
        "{inner}/// A value the spec does not list (received from a newer SDK); sending one is refused.\n{inner}case unlisted({wire_ty})\n"
    );
    let mut wire_arms = String::new();
    let mut init_arms = String::new();
    for v in &e.variants {
        let case = naming::variant(&v.name);
        let _ = writeln!(
            wire_arms,
            "{body}case .{case}: return {}",
            literal(&v.value)
        );
        let _ = writeln!(
            init_arms,
            "{body}case {}: self = .{case}",
            literal(&v.value)
        );
    }
    let members: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(".{}", naming::variant(&v.name)))
        .collect();
    let decode = match e.repr {
        EnumRepr::Str => "try PimsDecode.string(value, at: path)",
        EnumRepr::Int => "try PimsDecode.integer(value, at: path)",
    };
    let _ = write!(
        out,
        "{inner}/// The value on the wire.\n{inner}public var wire: {wire_ty} {{\n{inner}    switch self {{\n{wire_arms}{body}case .unlisted(let value): return value\n{inner}    }}\n{inner}}}\n\n{inner}/// The member for a wire value; `unlisted` for one the spec does not list.\n{inner}public init(wire: {wire_ty}) {{\n{inner}    switch wire {{\n{init_arms}{body}default: self = .unlisted(wire)\n{inner}    }}\n{inner}}}\n\n{inner}/// The members the spec lists.\n{inner}public static var members: [{name}] {{ [{}] }}\n\n{inner}/// Decodes a value received at `path`.\n{inner}public static func decode(_ value: Any?, at path: String) throws -> {name} {{\n{body}{name}(wire: {decode})\n{inner}}}\n{indent}}}\n",
        members.join(", ")
    );
    out
}

fn api_file(ir: &Ir, settings: &Settings, header: &str, module: &Module) -> String {
    let ctx = Ctx {
        ir,
        module: Some(module),
    };
    let mut body = String::new();
    for def in &module.types {
        match &def.kind {
            TypeDefKind::Request(_) => {
                if let Some(op) = ir.request_of(module, def) {
                    body.push_str(&request(ctx, settings, module, def, op));
                    body.push('\n');
                    body.push_str(&error_enum(ir, op));
                    body.push('\n');
                }
            }
            _ => {
                if let Some(text) = type_def(ctx, def, "    ") {
                    body.push_str(&text);
                    body.push('\n');
                }
            }
        }
    }
    let mut out = format!(
        "// {header}\n// Source: {}\nimport Foundation\n\n",
        super::printable(&settings.source(&module.source))
    );
    out.push_str(&doc(&docs::module_doc(settings, module), ""));
    let _ = writeln!(
        out,
        "extension {} {{\n{}\n}}",
        naming::namespace_path(&module.api).join("."),
        body.trim_end()
    );
    out
}

fn rule(rule: &RuleIr) -> String {
    match rule {
        RuleIr::Pattern(p) => {
            let icu = translate(p, Dialect::Icu).unwrap_or_else(|_| p.clone());
            format!(".pattern({}, icu: {})", string(p), string(&icu))
        }
        RuleIr::MinLength(n) => format!(".minLength({n})"),
        RuleIr::MaxLength(n) => format!(".maxLength({n})"),
        RuleIr::Minimum(v) => format!(".minimum({})", double(*v)),
        RuleIr::Maximum(v) => format!(".maximum({})", double(*v)),
        RuleIr::MinItems(n) => format!(".minItems({n})"),
        RuleIr::MaxItems(n) => format!(".maxItems({n})"),
        RuleIr::OneOf(values) => {
            let values: Vec<String> = values.iter().map(value).collect();
            format!(".oneOf([{}])", values.join(", "))
        }
    }
}

fn check(c: &CheckIr) -> String {
    let path: Vec<String> = c
        .path
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => format!(".key({})", string(k)),
            PathSeg::Each => ".each".to_owned(),
        })
        .collect();
    format!("PimsCheck([{}], {})", path.join(", "), rule(&c.rule))
}

fn payload(ctx: Ctx<'_>, ty: Option<&Ty>) -> (String, String) {
    match ty {
        None => (
            "PimsNoData".to_owned(),
            "try PimsDecode.none(value, at: path)".to_owned(),
        ),
        Some(ty) => (ctx.ty(ty), ctx.decode(ty, "value", "path", 0)),
    }
}

fn request(
    ctx: Ctx<'_>,
    settings: &Settings,
    module: &Module,
    def: &TypeDef,
    op: &OperationIr,
) -> String {
    let name = naming::type_name(&def.name);
    let error = naming::type_name(&op.error_type);
    let (result_ty, result_decode) = payload(ctx, op.result.as_ref());
    let mut out = doc(
        &mobile::operation_doc(ctx.ir, settings, module, op, |n| {
            format!("{error}.{}", naming::variant(n))
        }),
        "    ",
    );
    let protocol = if op.event.is_some() {
        "PimsSubscription"
    } else {
        "PimsCall"
    };
    let _ = writeln!(
        out,
        "    public struct {name}: {protocol}, Equatable {{\n        public typealias PimsSuccess = {result_ty}\n        public typealias PimsFailure = {error}"
    );
    if let Some(event) = &op.event {
        let (event_ty, _) = payload(ctx, event.as_ref());
        let _ = writeln!(out, "        public typealias PimsEvent = {event_ty}");
    }
    out.push('\n');
    for f in &op.params {
        out.push_str(&doc(&docs::field_doc(f), "        "));
        let _ = writeln!(
            out,
            "        public var {}: {}",
            naming::field(&f.wire),
            ctx.field_ty(f)
        );
    }
    if !op.params.is_empty() {
        out.push('\n');
    }
    let ordered: Vec<&FieldIr> = op
        .params
        .iter()
        .filter(|f| f.required)
        .chain(op.params.iter().filter(|f| !f.required))
        .collect();
    out.push_str(&initializer(ctx, &ordered, false, "        "));
    let verb = match op.verb {
        Verb::Get => "get",
        Verb::Set => "set",
        Verb::Subscribe => "subscribe",
    };
    let checks: Vec<String> = op
        .checks
        .iter()
        .map(|c| format!("            {}", check(c)))
        .collect();
    let checks = if checks.is_empty() {
        "[]".to_owned()
    } else {
        format!("[\n{}\n        ]", checks.join(",\n"))
    };
    let _ = writeln!(
        out,
        "\n        public static let operation = PimsOperation(\n            api: {}, name: {}, verb: .{verb},\n            checks: {checks}\n        )\n",
        string(&module.api),
        string(&op.name)
    );
    let mut encode = String::new();
    for (key, v) in &op.selector {
        let _ = writeln!(encode, "            map[{}] = {}", string(key), literal(v));
    }
    encode.push_str(&encode_fields(ctx, &op.params, "            "));
    let _ = writeln!(
        out,
        "        public func toParameters() throws -> [String: Any] {{\n            var map: [String: Any] = [:]\n{encode}            return try {name}.operation.checked(map)\n        }}\n\n        public static func decodeResult(_ value: Any?, at path: String) throws -> {result_ty} {{\n            {result_decode}\n        }}\n\n        public static func decodeError(_ error: PimsWireError) -> {error} {{\n            {error}(wire: error)\n        }}"
    );
    if let Some(event) = &op.event {
        let (event_ty, event_decode) = payload(ctx, event.as_ref());
        let _ = writeln!(
            out,
            "\n        public static func decodeEvent(_ value: Any?, at path: String) throws -> {event_ty} {{\n            {event_decode}\n        }}"
        );
    }
    out.push_str("    }\n");
    out
}

fn error_enum(ir: &Ir, op: &OperationIr) -> String {
    let name = naming::type_name(&op.error_type);
    let request = naming::type_name(&op.type_name);
    let listed: Vec<&ErrorVariant> = op.errors.iter().filter_map(|c| ir.error(*c)).collect();
    let mut out = format!(
        "    /// The errors of `{request}`: the codes it lists, and `unlisted` for any other.\n    public enum {name}: Error, Equatable {{\n"
    );
    for e in &listed {
        out.push_str(&doc(&docs::error_doc(e), "        "));
        let _ = writeln!(out, "        {}", case_decl(e));
    }
    out.push_str("        /// A code the operation does not list, as the catalogue knows it.\n        case unlisted(PimsError)\n\n");
    let mut to = String::new();
    let mut from = String::new();
    for e in &listed {
        let _ = writeln!(
            to,
            "            case {}: return {}",
            case_use(e, true),
            case_use(e, false)
        );
        let _ = writeln!(
            from,
            "            case {}: self = {}",
            case_use(e, true),
            case_use(e, false)
        );
    }
    let from_body = if listed.is_empty() {
        "            self = .unlisted(catalogue)\n".to_owned()
    } else {
        format!(
            "            switch catalogue {{\n{from}            default: self = .unlisted(catalogue)\n            }}\n"
        )
    };
    let _ = write!(
        out,
        "        /// The same error as the catalogue knows it.\n        public var catalogue: PimsError {{\n            switch self {{\n{to}            case .unlisted(let error): return error\n            }}\n        }}\n\n        /// The code the facade sent.\n        public var code: Int64 {{ catalogue.code }}\n\n        /// The label, with the placeholders the facade filled in.\n        public var label: String {{ catalogue.label }}\n\n        /// The operation's error for a catalogue error: `unlisted` for a code it does not list.\n        public init(catalogue: PimsError) {{\n{from_body}        }}\n\n        /// The operation's error for a wire `error` (never fails).\n        public init(wire: PimsWireError) {{\n            self.init(catalogue: PimsError(wire: wire))\n        }}\n    }}\n",
    );
    out
}
