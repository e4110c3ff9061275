//! The IR to Kotlin: a client for Android apps, with no library beyond the
//! Kotlin standard library (Kotlin 1.3 and later), since the platform SDK
//! hands maps in and out.
//!
//! - `Runtime.kt` (the same for every spec): the `Facade` interface shaped
//!   like the platform's, the envelope, the check table, labels, tolerant
//!   decoding; `Client.kt`: `Pims`, the typed call on top of a `Facade`
//!   (callbacks; a `suspend` wrapper is one small file on top of it);
//! - `PimsError.kt`: the catalogue, a sealed class; `Types.kt`: the named
//!   types, in `object Types`;
//! - one package per api (`<base>.authentication.smscode`): per operation a
//!   request class (`toParameters()`: the exact, checked wire map), its
//!   result and event types, and a sealed error class.
//!
//! Names come from `crate::naming::kotlin`; KDoc is escaped like rustdoc
//! (`super::docs`), and no spec text can end a comment.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::ir::{
    CheckIr, EnumDef, EnumRepr, ErrorVariant, FieldIr, Ir, Module, OperationIr, PathSeg, RuleIr,
    StructDef, Ty, TyKind, TypeDef, TypeDefKind, TypeRef,
};
use crate::naming::kotlin as naming;
use crate::spec::{Scalar, Verb};

use super::regex::{Dialect, translate};
use super::{Files, Settings, docs, header, mobile};

/// Where the sources go, below the output folder.
pub const SOURCE_DIR: &str = "src/main/kotlin";

/// The base package when none is given.
pub const DEFAULT_PACKAGE: &str = "pims.sdk";

const RUNTIME: &str = include_str!("Runtime.kt");

/// The Kotlin client's files, below `src/main/kotlin/<package path>/`.
pub fn files(ir: &Ir, settings: &Settings, command: &str, package: &str) -> Result<Files, String> {
    naming::valid_package(package).map_err(|e| format!("--package {package}: {e}"))?;
    let header = header(command);
    let base = PathBuf::from(SOURCE_DIR).join(package.replace('.', "/"));
    let mut files = Files::new();
    files.insert(
        base.join("Runtime.kt"),
        format!("// {header}\npackage {package}\n{RUNTIME}"),
    );
    files.insert(base.join("Client.kt"), client(&header, package));
    files.insert(
        base.join("PimsError.kt"),
        catalogue(ir, settings, &header, package)?,
    );
    files.insert(
        base.join("Types.kt"),
        types_file(ir, settings, &header, package)?,
    );
    for module in &ir.modules {
        let path = naming::package_path(&module.api);
        let file = path
            .iter()
            .fold(base.clone(), |p, s| p.join(s))
            .join(naming::api_file(&module.api));
        let text = api_file(ir, settings, &header, package, module)?;
        if files.insert(file.clone(), text).is_some() {
            return Err(format!("two apis write {}", file.display()));
        }
    }
    Ok(files)
}

/// A Kotlin string literal (`$` escaped: Kotlin strings interpolate), with
/// control and bidi characters as escapes.
pub fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::check::is_hidden_char(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A KDoc comment of `lines` at `indent`; empty for no lines. No line can
/// end the comment or open a nested one.
fn kdoc(lines: &[String], indent: &str) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        let safe = line.replace("*/", "*&#47;").replace("/*", "&#47;*");
        if safe.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {safe}");
        }
    }
    let _ = writeln!(out, "{indent} */");
    out
}

fn long(v: i64) -> String {
    if v == i64::MIN {
        "Long.MIN_VALUE".to_owned()
    } else {
        format!("{v}L")
    }
}

fn double(v: f64) -> String {
    if v.is_nan() {
        "Double.NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 {
            "Double.POSITIVE_INFINITY".to_owned()
        } else {
            "Double.NEGATIVE_INFINITY".to_owned()
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

fn constant(value: &Scalar) -> String {
    match value {
        Scalar::Str(s) => string(s),
        Scalar::Int(i) => long(*i),
        Scalar::Num(n) => double(*n),
        Scalar::Bool(b) => b.to_string(),
    }
}

/// Where a type is written from: the `Types` object, or an api's package.
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

    /// The Kotlin name of a generated type, as seen from here.
    fn type_ref(&self, r: &TypeRef) -> String {
        match r {
            TypeRef::Named(n) if self.module.is_some() => format!("Types.{}", naming::type_name(n)),
            _ => naming::type_name(r.name()),
        }
    }

    /// The Kotlin type of `ty`.
    fn ty(&self, ty: &Ty) -> String {
        let ty = self.unalias(ty);
        let inner = match &ty.kind {
            TyKind::String(_) => "String".to_owned(),
            TyKind::Integer(_) => "Long".to_owned(),
            TyKind::Number(_) => "Double".to_owned(),
            TyKind::Boolean { .. } => "Boolean".to_owned(),
            TyKind::Any => return "Any?".to_owned(),
            TyKind::Array { items, .. } => format!("List<{}>", self.ty(items)),
            TyKind::Ref(r) => self.type_ref(r),
        };
        if ty.nullable {
            format!("{inner}?")
        } else {
            inner
        }
    }

    /// The property type of a field: nullable unless required and not `nullable`.
    fn field_ty(&self, f: &FieldIr) -> String {
        let ty = self.ty(&f.ty);
        if f.required || ty.ends_with('?') {
            ty
        } else {
            format!("{ty}?")
        }
    }

    /// An expression decoding `v` (a non-null `Any?`, at path `p`) into `ty`.
    fn decode(&self, ty: &Ty, v: &str, p: &str, depth: usize) -> String {
        let ty = self.unalias(ty);
        let plain = Ty {
            kind: ty.kind.clone(),
            nullable: false,
        };
        let inner = match &plain.kind {
            TyKind::String(_) => format!("Decode.string({v}, {p})"),
            TyKind::Integer(_) => format!("Decode.integer({v}, {p})"),
            TyKind::Number(_) => format!("Decode.number({v}, {p})"),
            TyKind::Boolean { .. } => format!("Decode.boolean({v}, {p})"),
            TyKind::Any => return v.to_owned(),
            TyKind::Array { items, .. } => {
                let (iv, ip) = (format!("v{depth}"), format!("p{depth}"));
                format!(
                    "Decode.list({v}, {p}) {{ {iv}, {ip} -> {} }}",
                    self.decode(items, &iv, &ip, depth + 1)
                )
            }
            TyKind::Ref(r) => format!("{}.decode({v}, {p})", self.type_ref(r)),
        };
        if ty.nullable {
            let (nv, np) = (format!("n{depth}"), format!("q{depth}"));
            let plain_decode = self.decode(&plain, &nv, &np, depth + 1);
            format!("Decode.nullable({v}, {p}) {{ {nv}, {np} -> {plain_decode} }}")
        } else {
            inner
        }
    }

    /// An expression encoding the Kotlin value `x` (not null) of `ty` for the wire.
    fn encode(&self, ty: &Ty, x: &str, depth: usize) -> String {
        let ty = self.unalias(ty);
        let plain = |s: String| -> String {
            if ty.nullable && s != x {
                let it = format!("e{depth}");
                let inner = self.encode(
                    &Ty {
                        kind: ty.kind.clone(),
                        nullable: false,
                    },
                    &it,
                    depth + 1,
                );
                format!("{x}?.let {{ {it} -> {inner} }}")
            } else {
                s
            }
        };
        match &ty.kind {
            TyKind::String(_)
            | TyKind::Integer(_)
            | TyKind::Number(_)
            | TyKind::Boolean { .. }
            | TyKind::Any => x.to_owned(),
            TyKind::Array { items, .. } => {
                let it = format!("i{depth}");
                let item = self.encode(items, &it, depth + 1);
                if item == it {
                    x.to_owned()
                } else {
                    plain(format!("{x}.map {{ {it} -> {item} }}"))
                }
            }
            TyKind::Ref(r) => match self.def(r).map(|d| &d.kind) {
                Some(TypeDefKind::Enum(_)) => plain(format!("{x}.wire")),
                _ => plain(format!("{x}.toMap()")),
            },
        }
    }
}

fn client(header: &str, package: &str) -> String {
    format!(
        r#"// {header}
package {package}

/**
 * The typed call on top of a [Facade]: checks a request's parameters, sends
 * them, and hands the decoded answer to the callback. Callback-based: a
 * `suspend` wrapper (`suspendCoroutine {{ c -> pims.call(request) {{ c.resume(it) }} }}`)
 * is one small file on top of it.
 */
class Pims(val facade: Facade) {{
    /** Calls a `get` or `set` operation; [callback] receives its one answer, or [Outcome.Invalid] without anything sent. */
    fun <R, E> call(request: CallRequest<R, E>, callback: (Outcome<R, E>) -> Unit) {{
        val operation = request.operation
        val parameters = try {{
            request.toParameters()
        }} catch (e: InvalidParameterException) {{
            callback(Outcome.Invalid(e.invalid))
            return
        }}
        val handle: (Map<String, Any?>) -> Unit = {{ message -> callback(operation.decodeReply(message)) }}
        when (operation.verb) {{
            Verb.SET -> facade.set(operation.api, parameters, handle)
            else -> facade.get(operation.api, parameters, handle)
        }}
    }}

    /** Subscribes: [acknowledged] receives the `SUCCEEDED` or `FAILED` answer, [event] every `RESULT` message after it. */
    fun <R, V, E> subscribe(
        request: SubscriptionRequest<R, V, E>,
        acknowledged: (Outcome<R, E>) -> Unit,
        event: (Outcome<V, E>) -> Unit
    ) {{
        val operation = request.operation
        val parameters = try {{
            request.toParameters()
        }} catch (e: InvalidParameterException) {{
            acknowledged(Outcome.Invalid(e.invalid))
            return
        }}
        facade.subscribe(operation.api, parameters) {{ message ->
            if (message["status"] == "RESULT") event(operation.decodeEventMessage(message))
            else acknowledged(operation.decodeReply(message))
        }}
    }}

    /** Ends the subscriptions to [api]. */
    fun unsubscribe(api: String, callback: (Outcome<Unit, PimsError>) -> Unit) {{
        val operation = Unsubscribe(api)
        facade.unsubscribe(api) {{ message -> callback(operation.decodeReply(message)) }}
    }}

    private class Unsubscribe(api: String) : CallOperation<Unit, PimsError>(api, "unsubscribe", Verb.UNSUBSCRIBE, emptyList()) {{
        override fun decodeResult(value: Any?, path: String) = Decode.none(value, path)
        override fun decodeError(error: WireError): PimsError = PimsError.fromWire(error)
    }}
}}
"#
    )
}

/// The `private typealias` by which a sealed class's members name it (a
/// member may have the class's own name).
fn self_alias(name: &str) -> String {
    format!("__{}", name.trim_matches('`'))
}

/// The companion property holding the label template of code `code`.
fn template_name(code: i64) -> String {
    if code < 0 {
        format!("TEMPLATE_M{}", code.unsigned_abs())
    } else {
        format!("TEMPLATE_{code}")
    }
}

/// The label template of `e` as `Labels` pieces.
fn pieces(e: &ErrorVariant) -> String {
    let list: Vec<String> = mobile::label_pieces(&e.label)
        .into_iter()
        .map(|(hole, text)| {
            if hole {
                format!("Labels.hole({})", string(&text))
            } else {
                format!("Labels.text({})", string(&text))
            }
        })
        .collect();
    format!("listOf({})", list.join(", "))
}

/// The properties of a catalogue variant: its placeholders, then sub-codes.
fn variant_fields(e: &ErrorVariant) -> Vec<(String, &'static str, String)> {
    let mut fields: Vec<(String, &'static str, String)> = e
        .placeholders
        .iter()
        .map(|hole| {
            (
                naming::placeholder(hole),
                "String?",
                format!(
                    "What the facade put in place of {}, when it filled it in.",
                    docs::code(hole)
                ),
            )
        })
        .collect();
    if e.sub_codes {
        fields.push((
            naming::field("subCodes"),
            "List<Any?>",
            "The `subCode` list the facade sent with the error (empty when none).".to_owned(),
        ));
    }
    fields
}

fn error_kdoc(e: &ErrorVariant, indent: &str) -> String {
    kdoc(
        &docs::error_doc(e)
            .into_iter()
            .map(mobile::no_tag)
            .collect::<Vec<_>>(),
        indent,
    )
}

fn catalogue(ir: &Ir, settings: &Settings, header: &str, package: &str) -> Result<String, String> {
    let alias = self_alias("PimsError");
    let mut out = format!(
        "// {header}\n// Source: {}/pims.yaml\npackage {package}\n\nprivate typealias {alias} = PimsError\n\n",
        settings.source_root
    );
    out.push_str(&kdoc(
        &["Every error the SDK can fail with, by code. Each operation's own error class converts into it.".to_owned()],
        "",
    ));
    out.push_str("sealed class PimsError {\n");
    out.push_str(
        "    /** The code the facade sends for this error. */\n    abstract val code: Long\n",
    );
    out.push_str("    /** The catalogue's category (`generic`, `input`, …); `unlisted` for a code it does not have. */\n    abstract val category: String\n");
    out.push_str("    /** The catalogue's label, placeholders as written; for an unlisted code, the label received. */\n    abstract val template: String\n");
    out.push_str("    /** The label with the placeholders the facade filled in. */\n    abstract val label: String\n\n");
    for e in &ir.errors {
        let name = naming::variant(&e.name);
        let fields = variant_fields(e);
        out.push_str(&error_kdoc(e, "    "));
        let body = format!(
            "        override val code: Long get() = {}\n        override val category: String get() = {}\n        override val template: String get() = {}\n",
            long(e.code),
            string(&e.category),
            string(&e.label)
        );
        if fields.is_empty() {
            let _ = write!(
                out,
                "    object {name} : {alias}() {{\n{body}        override val label: String get() = template\n        override fun toString(): String = {}\n    }}\n\n",
                string(&name)
            );
        } else {
            let params: Vec<String> = fields
                .iter()
                .map(|(n, t, d)| {
                    format!(
                        "{}        val {n}: {t}",
                        kdoc(std::slice::from_ref(d), "        ")
                    )
                })
                .collect();
            let holes: Vec<String> = e
                .placeholders
                .iter()
                .map(|h| format!("this.{}", naming::placeholder(h)))
                .collect();
            let label = if holes.is_empty() {
                "template".to_owned()
            } else {
                format!(
                    "Labels.fill({}, listOf({}))",
                    template_name(e.code),
                    holes.join(", ")
                )
            };
            let _ = write!(
                out,
                "    data class {name}(\n{}\n    ) : {alias}() {{\n{body}        override val label: String get() = {label}\n    }}\n\n",
                params.join(",\n")
            );
        }
    }
    out.push_str(
        "    /** A code that is not in the catalogue. */\n    data class Unlisted(override val code: Long, override val label: String) : ",
    );
    let _ = write!(
        out,
        "{alias}() {{\n        override val category: String get() = \"unlisted\"\n        override val template: String get() = label\n    }}\n\n"
    );
    out.push_str("    companion object {\n");
    for e in ir.errors.iter().filter(|e| !e.placeholders.is_empty()) {
        let _ = writeln!(
            out,
            "        internal val {}: List<Labels.Piece> = {}",
            template_name(e.code),
            pieces(e)
        );
    }
    let _ = writeln!(
        out,
        "\n        /** The catalogue's error for a wire `error` (never fails: unknown codes are [Unlisted]). */\n        fun fromWire(error: WireError): {alias} = when (error.code) {{"
    );
    for e in &ir.errors {
        let name = naming::variant(&e.name);
        let fields = variant_fields(e);
        if fields.is_empty() {
            let _ = writeln!(out, "            {} -> {name}", long(e.code));
            continue;
        }
        let mut args: Vec<String> = (0..e.placeholders.len())
            .map(|i| format!("holes[{i}]"))
            .collect();
        if e.sub_codes {
            args.push("error.subCodes ?: emptyList()".to_owned());
        }
        let captures = if e.placeholders.is_empty() {
            String::new()
        } else {
            format!(
                "val holes = Labels.captures({}, error.label); ",
                template_name(e.code)
            )
        };
        let _ = writeln!(
            out,
            "            {} -> {{ {captures}{name}({}) }}",
            long(e.code),
            args.join(", ")
        );
    }
    out.push_str("            else -> Unlisted(error.code, error.label)\n        }\n    }\n}\n");
    Ok(out)
}

fn types_file(ir: &Ir, settings: &Settings, header: &str, package: &str) -> Result<String, String> {
    let ctx = Ctx { ir, module: None };
    let mut aliases = String::new();
    let mut body = String::new();
    for def in &ir.types {
        if let Some(text) = type_def(ctx, def, "    ", &mut aliases, Some("Types"))? {
            body.push_str(&text);
            body.push('\n');
        }
    }
    let mut out = format!("// {header}\npackage {package}\n\n{aliases}");
    if !aliases.is_empty() {
        out.push('\n');
    }
    out.push_str(&kdoc(
        &[format!(
            "Named types shared by the apis: the `types:` of {} and of the api files.",
            docs::code(&format!("{}/pims.yaml", settings.source_root))
        )],
        "",
    ));
    out.push_str("object Types {\n");
    out.push_str(body.trim_end());
    out.push_str("\n}\n");
    Ok(out)
}

/// A type definition at `indent`; `None` for what is not a declaration of
/// its own (aliases are written as what they stand for; requests are written
/// with their operation). `outer` is the object the type is nested in.
fn type_def(
    ctx: Ctx<'_>,
    def: &TypeDef,
    indent: &str,
    aliases: &mut String,
    outer: Option<&str>,
) -> Result<Option<String>, String> {
    Ok(match &def.kind {
        TypeDefKind::Struct(s) => Some(struct_def(ctx, def, s, indent)),
        TypeDefKind::Enum(e) => {
            let name = naming::type_name(&def.name);
            let qualified = match outer {
                Some(o) => format!("{o}.{name}"),
                None => name.clone(),
            };
            let _ = writeln!(
                aliases,
                "private typealias {} = {qualified}",
                self_alias(&name)
            );
            Some(enum_def(def, e, indent))
        }
        TypeDefKind::Alias(_) | TypeDefKind::Request(_) => None,
    })
}

fn field_kdoc(f: &FieldIr, indent: &str) -> String {
    kdoc(
        &docs::field_doc(f)
            .into_iter()
            .map(mobile::no_tag)
            .collect::<Vec<_>>(),
        indent,
    )
}

/// `toMap()` lines for `fields`, into `map`.
fn encode_fields(ctx: Ctx<'_>, fields: &[FieldIr], indent: &str) -> String {
    let mut out = String::new();
    for f in fields {
        let prop = format!("this.{}", naming::field(&f.wire));
        let key = string(&f.wire);
        let nullable_ty = ctx.ty(&f.ty).ends_with('?');
        if f.required && !nullable_ty {
            let _ = writeln!(out, "{indent}map[{key}] = {}", ctx.encode(&f.ty, &prop, 0));
        } else {
            let plain = Ty {
                kind: f.ty.kind.clone(),
                nullable: false,
            };
            let value = ctx.encode(&plain, "it", 1);
            // as serde does: an absent optional field is left out, a `nullable` one is sent as `null`
            let skip = !f.required && !f.ty.nullable;
            if skip {
                let _ = writeln!(out, "{indent}{prop}?.let {{ map[{key}] = {value} }}");
            } else if value == "it" {
                let _ = writeln!(out, "{indent}map[{key}] = {prop}");
            } else {
                let _ = writeln!(out, "{indent}map[{key}] = {prop}?.let {{ {value} }}");
            }
        }
    }
    out
}

/// The constructor argument decoding field `f` from `map` at `path`.
fn decode_field(ctx: Ctx<'_>, f: &FieldIr) -> String {
    let key = string(&f.wire);
    let nullable_ty = ctx.ty(&f.ty).ends_with('?');
    let plain = Ty {
        kind: f.ty.kind.clone(),
        nullable: false,
    };
    if matches!(ctx.unalias(&f.ty).kind, TyKind::Any) {
        // free JSON that is required and not `nullable` must be there (`null` allowed)
        return if f.required && !f.ty.nullable {
            format!("Decode.present(map, {key}, path)")
        } else {
            format!("map[{key}]")
        };
    }
    let decode = ctx.decode(&plain, "v", "p", 0);
    if f.required && !nullable_ty {
        format!("Decode.required(map, {key}, path) {{ v, p -> {decode} }}")
    } else {
        format!("Decode.optional(map, {key}, path) {{ v, p -> {decode} }}")
    }
}

fn struct_def(ctx: Ctx<'_>, def: &TypeDef, s: &StructDef, indent: &str) -> String {
    let name = naming::type_name(&def.name);
    let inner = format!("{indent}    ");
    let body_indent = format!("{inner}    ");
    let mut out = kdoc(
        &docs::type_doc(def.doc.as_deref())
            .into_iter()
            .map(mobile::no_tag)
            .collect::<Vec<_>>(),
        indent,
    );
    let mut params: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            let default = if f.required && !ctx.ty(&f.ty).ends_with('?') {
                ""
            } else {
                " = null"
            };
            format!(
                "{}{inner}val {}: {}{default}",
                field_kdoc(f, &inner),
                naming::field(&f.wire),
                ctx.field_ty(f)
            )
        })
        .collect();
    if s.additional {
        params.push(format!(
            "{inner}/** Keys the spec does not list, kept as they came. */\n{inner}val additional: Map<String, Any?> = emptyMap()"
        ));
    }
    let keys: Vec<String> = s.fields.iter().map(|f| string(&f.wire)).collect();
    let keys = format!("setOf<String>({})", keys.join(", "));
    let mut methods = format!(
        "{inner}/** The wire map of this value. */\n{inner}fun toMap(): Map<String, Any?> {{\n{body_indent}val map = LinkedHashMap<String, Any?>()\n{}",
        encode_fields(ctx, &s.fields, &body_indent)
    );
    if s.additional {
        let _ = writeln!(methods, "{body_indent}map.putAll(this.additional)");
    }
    let _ = writeln!(methods, "{body_indent}return map\n{inner}}}");
    // the companion's `decode`
    let fn_indent = format!("{body_indent}    ");
    let mut args: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "{fn_indent}    {} = {}",
                naming::field(&f.wire),
                decode_field(ctx, f)
            )
        })
        .collect();
    if s.additional {
        args.push(format!(
            "{fn_indent}    additional = Decode.additional(map, KEYS)"
        ));
    }
    let mut decode = format!("{fn_indent}val map = Decode.obj(value, path)\n");
    if s.strict && !s.additional {
        let _ = writeln!(decode, "{fn_indent}Decode.strict(map, KEYS, path)");
    }
    if args.is_empty() {
        let _ = writeln!(decode, "{fn_indent}return {name}()");
    } else {
        let _ = writeln!(
            decode,
            "{fn_indent}return {name}(\n{}\n{fn_indent})",
            args.join(",\n")
        );
    }
    let companion = format!(
        "{inner}companion object {{\n{body_indent}internal val KEYS: Set<String> = {keys}\n\n{body_indent}/** Decodes a value received at `path`. */\n{body_indent}fun decode(value: Any?, path: String): {name} {{\n{decode}{body_indent}}}\n{inner}}}\n"
    );
    if params.is_empty() {
        let _ = write!(
            out,
            "{indent}class {name} {{\n{methods}\n{inner}override fun equals(other: Any?): Boolean = other is {name}\n{inner}override fun hashCode(): Int = 0\n{inner}override fun toString(): String = {}\n\n{companion}{indent}}}\n",
            string(&format!("{name}()"))
        );
    } else {
        let _ = write!(
            out,
            "{indent}data class {name}(\n{}\n{indent}) {{\n{methods}\n{companion}{indent}}}\n",
            params.join(",\n")
        );
    }
    out
}

fn enum_def(def: &TypeDef, e: &EnumDef, indent: &str) -> String {
    let name = naming::type_name(&def.name);
    let alias = self_alias(&name);
    let inner = format!("{indent}    ");
    let wire_ty = match e.repr {
        EnumRepr::Str => "String",
        EnumRepr::Int => "Long",
    };
    let mut out = kdoc(
        &docs::type_doc(def.doc.as_deref())
            .into_iter()
            .map(mobile::no_tag)
            .collect::<Vec<_>>(),
        indent,
    );
    let _ = writeln!(
        out,
        "{indent}sealed class {name}(\n{inner}/** The value on the wire. */\n{inner}val wire: {wire_ty}\n{indent}) {{"
    );
    for v in &e.variants {
        out.push_str(&kdoc(
            &docs::variant_doc(&v.value, v.doc.as_deref())
                .into_iter()
                .map(mobile::no_tag)
                .collect::<Vec<_>>(),
            &inner,
        ));
        let _ = writeln!(
            out,
            "{inner}object {} : {alias}({})",
            naming::variant(&v.name),
            constant(&v.value)
        );
    }
    let _ = writeln!(
        out,
        "{inner}/** A value the spec does not list (received from a newer SDK); sending one is refused. */\n{inner}class Unlisted internal constructor(wire: {wire_ty}) : {alias}(wire)\n"
    );
    let _ = writeln!(
        out,
        "{inner}override fun equals(other: Any?): Boolean = other is {alias} && other.wire == this.wire\n{inner}override fun hashCode(): Int = wire.hashCode()\n{inner}override fun toString(): String = wire.toString()\n"
    );
    let members: Vec<String> = e
        .variants
        .iter()
        .map(|v| naming::variant(&v.name))
        .collect();
    let arms: Vec<String> = e
        .variants
        .iter()
        .map(|v| {
            format!(
                "{inner}        {} -> {}",
                constant(&v.value),
                naming::variant(&v.name)
            )
        })
        .collect();
    let decode = match e.repr {
        EnumRepr::Str => "Decode.string(value, path)",
        EnumRepr::Int => "Decode.integer(value, path)",
    };
    let _ = write!(
        out,
        "{inner}companion object {{\n{inner}    /** The members the spec lists. */\n{inner}    val members: List<{alias}> get() = listOf({})\n\n{inner}    /** The member for a wire value; [Unlisted] for one the spec does not list. */\n{inner}    fun fromWire(wire: {wire_ty}): {alias} = when (wire) {{\n{}{}{inner}        else -> Unlisted(wire)\n{inner}    }}\n\n{inner}    /** Decodes a value received at `path`. */\n{inner}    fun decode(value: Any?, path: String): {alias} = fromWire({decode})\n{inner}}}\n{indent}}}\n",
        members.join(", "),
        arms.join("\n"),
        if arms.is_empty() { "" } else { "\n" },
    );
    out
}

fn api_file(
    ir: &Ir,
    settings: &Settings,
    header: &str,
    package: &str,
    module: &Module,
) -> Result<String, String> {
    let ctx = Ctx {
        ir,
        module: Some(module),
    };
    let path = naming::package_path(&module.api);
    let mut aliases = String::new();
    let mut body = String::new();
    for def in &module.types {
        match &def.kind {
            TypeDefKind::Request(_) => {
                if let Some(op) = ir.request_of(module, def) {
                    body.push_str(&request(ctx, settings, module, def, op));
                    body.push('\n');
                    body.push_str(&error_class(ir, op, &mut aliases));
                    body.push('\n');
                }
            }
            _ => {
                if let Some(text) = type_def(ctx, def, "", &mut aliases, None)? {
                    body.push_str(&text);
                    body.push('\n');
                }
            }
        }
    }
    let mut out = format!(
        "// {header}\n// Source: {}\n",
        mobile_printable(&settings.source(&module.source))
    );
    out.push_str(&kdoc(
        &docs::module_doc(settings, module)
            .into_iter()
            .map(mobile::no_tag)
            .collect::<Vec<_>>(),
        "",
    ));
    let _ = writeln!(out, "package {package}.{}\n", path.join("."));
    let _ = writeln!(out, "import {package}.*\n");
    out.push_str(&aliases);
    if !aliases.is_empty() {
        out.push('\n');
    }
    out.push_str(body.trim_end());
    out.push('\n');
    Ok(out)
}

fn mobile_printable(s: &str) -> String {
    super::printable(s)
}

/// The Kotlin type of an operation's result or event (`Unit` for no data).
fn payload_ty(ctx: Ctx<'_>, ty: Option<&Ty>) -> String {
    match ty {
        Some(ty) => ctx.ty(ty),
        None => "Unit".to_owned(),
    }
}

fn payload_decode(ctx: Ctx<'_>, ty: Option<&Ty>) -> String {
    match ty {
        None => "Decode.none(value, path)".to_owned(),
        Some(ty) if matches!(ctx.unalias(ty).kind, TyKind::Any) => "value".to_owned(),
        Some(ty) if ty.nullable => ctx.decode(ty, "value", "path", 0),
        Some(ty) => ctx.decode(ty, "value", "path", 0),
    }
}

fn rule(rule: &RuleIr) -> String {
    match rule {
        RuleIr::Pattern(p) => {
            let java = translate(p, Dialect::Java).unwrap_or_else(|_| p.clone());
            format!("Rule.Pattern({}, {})", string(p), string(&java))
        }
        RuleIr::MinLength(n) => format!("Rule.MinLength({n}L)"),
        RuleIr::MaxLength(n) => format!("Rule.MaxLength({n}L)"),
        RuleIr::Minimum(v) => format!("Rule.Minimum({})", double(*v)),
        RuleIr::Maximum(v) => format!("Rule.Maximum({})", double(*v)),
        RuleIr::MinItems(n) => format!("Rule.MinItems({n}L)"),
        RuleIr::MaxItems(n) => format!("Rule.MaxItems({n}L)"),
        RuleIr::OneOf(values) => {
            let values: Vec<String> = values.iter().map(constant).collect();
            format!("Rule.OneOf(listOf<Any>({}))", values.join(", "))
        }
    }
}

fn check(c: &CheckIr) -> String {
    let path: Vec<String> = c
        .path
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => format!("Seg.Key({})", string(k)),
            PathSeg::Each => "Seg.Each".to_owned(),
        })
        .collect();
    format!("Check(listOf({}), {})", path.join(", "), rule(&c.rule))
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
    let result = payload_ty(ctx, op.result.as_ref());
    let mut out = kdoc(
        &mobile::operation_doc(ctx.ir, settings, module, op, |n| {
            format!("{error}.{}", naming::variant(n))
        }),
        "",
    );
    // required parameters first, so that `Operation(required…)` reads like Rust's `new`
    let ordered: Vec<&FieldIr> = op
        .params
        .iter()
        .filter(|f| f.required)
        .chain(op.params.iter().filter(|f| !f.required))
        .collect();
    let params: Vec<String> = ordered
        .iter()
        .map(|f| {
            let default = if f.required && !ctx.ty(&f.ty).ends_with('?') {
                ""
            } else {
                " = null"
            };
            format!(
                "{}    val {}: {}{default}",
                field_kdoc(f, "    "),
                naming::field(&f.wire),
                ctx.field_ty(f)
            )
        })
        .collect();
    let (iface, op_class, type_args, extra) = match &op.event {
        Some(event) => {
            let event_ty = payload_ty(ctx, event.as_ref());
            (
                "SubscriptionRequest",
                "SubscriptionOperation",
                format!("{result}, {event_ty}, {error}"),
                format!(
                    "\n        override fun decodeEvent(value: Any?, path: String): {event_ty} = {}",
                    payload_decode(ctx, event.as_ref())
                ),
            )
        }
        None => (
            "CallRequest",
            "CallOperation",
            format!("{result}, {error}"),
            String::new(),
        ),
    };
    let verb = match op.verb {
        Verb::Get => ", Verb.GET",
        Verb::Set => ", Verb.SET",
        Verb::Subscribe => "",
    };
    let checks: Vec<String> = op
        .checks
        .iter()
        .map(|c| format!("            {}", check(c)))
        .collect();
    let checks = if checks.is_empty() {
        "emptyList()".to_owned()
    } else {
        format!("listOf(\n{}\n        )", checks.join(",\n"))
    };
    let mut encode = String::new();
    for (key, value) in &op.selector {
        let _ = writeln!(encode, "        map[{}] = {}", string(key), constant(value));
    }
    encode.push_str(&encode_fields(ctx, &op.params, "        "));
    let members = format!(
        "    override val operation: {op_class}<{type_args}> get() = Companion\n\n    override fun toParameters(): Map<String, Any?> {{\n        val map = LinkedHashMap<String, Any?>()\n{encode}        return operation.checked(map)\n    }}\n\n    companion object : {op_class}<{type_args}>(\n        {}, {}{verb},\n        {checks}\n    ) {{\n        override fun decodeResult(value: Any?, path: String): {result} = {}\n        override fun decodeError(error: WireError): {error} = {error}.fromWire(error){extra}\n    }}\n",
        string(&module.api),
        string(&op.name),
        payload_decode(ctx, op.result.as_ref()),
    );
    if params.is_empty() {
        let _ = write!(
            out,
            "class {name} : {iface}<{type_args}> {{\n{members}\n    override fun equals(other: Any?): Boolean = other is {name}\n    override fun hashCode(): Int = 0\n    override fun toString(): String = {}\n}}\n",
            string(&format!("{name}()"))
        );
    } else {
        let _ = write!(
            out,
            "data class {name}(\n{}\n) : {iface}<{type_args}> {{\n{members}}}\n",
            params.join(",\n")
        );
    }
    out
}

fn error_class(ir: &Ir, op: &OperationIr, aliases: &mut String) -> String {
    let name = naming::type_name(&op.error_type);
    let request = naming::type_name(&op.type_name);
    let alias = self_alias(&name);
    let _ = writeln!(aliases, "private typealias {alias} = {name}");
    let listed: Vec<&ErrorVariant> = op.errors.iter().filter_map(|c| ir.error(*c)).collect();
    let mut out = kdoc(
        &[format!(
            "The errors of [{request}]: the codes it lists, and [Unlisted] for any other."
        )],
        "",
    );
    let _ = writeln!(
        out,
        "sealed class {name} {{\n    /** The code the facade sent. */\n    abstract val code: Long\n    /** The label, with the placeholders the facade filled in. */\n    abstract val label: String\n    /** The same error as the catalogue knows it. */\n    abstract fun toCatalogue(): PimsError\n"
    );
    for e in &listed {
        let variant = naming::variant(&e.name);
        let fields = variant_fields(e);
        out.push_str(&error_kdoc(e, "    "));
        if fields.is_empty() {
            let _ = writeln!(
                out,
                "    object {variant} : {alias}() {{\n        override val code: Long get() = {}\n        override val label: String get() = {}\n        override fun toCatalogue(): PimsError = PimsError.{variant}\n        override fun toString(): String = {}\n    }}\n",
                long(e.code),
                string(&e.label),
                string(&variant)
            );
        } else {
            let params: Vec<String> = fields
                .iter()
                .map(|(n, t, d)| {
                    format!(
                        "{}        val {n}: {t}",
                        kdoc(std::slice::from_ref(d), "        ")
                    )
                })
                .collect();
            let args: Vec<String> = fields.iter().map(|(n, _, _)| format!("this.{n}")).collect();
            let _ = writeln!(
                out,
                "    data class {variant}(\n{}\n    ) : {alias}() {{\n        override val code: Long get() = {}\n        override val label: String get() = toCatalogue().label\n        override fun toCatalogue(): PimsError = PimsError.{variant}({})\n    }}\n",
                params.join(",\n"),
                long(e.code),
                args.join(", ")
            );
        }
    }
    out.push_str("    /** A code the operation does not list, as the catalogue knows it. */\n");
    let _ = writeln!(
        out,
        "    data class Unlisted(val error: PimsError) : {alias}() {{\n        override val code: Long get() = error.code\n        override val label: String get() = error.label\n        override fun toCatalogue(): PimsError = error\n    }}\n"
    );
    let mut arms = String::new();
    for e in &listed {
        let variant = naming::variant(&e.name);
        let fields = variant_fields(e);
        if fields.is_empty() {
            let _ = writeln!(arms, "            is PimsError.{variant} -> {variant}");
        } else {
            let args: Vec<String> = fields
                .iter()
                .map(|(n, _, _)| format!("error.{n}"))
                .collect();
            let _ = writeln!(
                arms,
                "            is PimsError.{variant} -> {variant}({})",
                args.join(", ")
            );
        }
    }
    let _ = write!(
        out,
        "    companion object {{\n        /** The operation's error for a wire `error` (never fails). */\n        fun fromWire(error: WireError): {alias} = fromCatalogue(PimsError.fromWire(error))\n\n        /** The operation's error for a catalogue error: [Unlisted] for a code it does not list. */\n        fun fromCatalogue(error: PimsError): {alias} = when (error) {{\n{arms}            else -> Unlisted(error)\n        }}\n    }}\n}}\n"
    );
    out
}
