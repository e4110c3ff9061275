//! The parameter and output tables: a row per field, nested fields as dotted
//! paths (`vehicle.status.fuel`, array items as `items[]`), named and local
//! types followed, recursion cut where a type contains itself. Three columns
//! (name, type, description), so that a table fits mdBook's content column:
//! `required` is marked under the name, the constraints, default and example
//! follow the description, one a line.

use crate::ir::{
    EnumDef, FieldIr, Ir, MemberIr, Module, NumberIr, StringIr, Ty, TyKind, TypeDef, TypeDefKind,
    TypeRef,
};
use crate::spec::Scalar;

use super::md;

/// How deep nested objects are followed before the table stops.
const MAX_DEPTH: usize = 12;

/// The header of a parameter table.
pub const HEADER: [&str; 3] = ["Parameter", "Type", "Description"];

/// The header of an output table.
pub const OUTPUT_HEADER: [&str; 3] = ["Field", "Type", "Description"];

/// One row of a field table, its cells escaped: three columns, so that the
/// table fits mdBook's content column; whether it is required is marked on
/// the name, its constraints, default and example follow its description.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The dotted path, breakable at its dots (or `(result)`).
    pub path: String,
    /// Whether it is required (for a result: always there).
    pub required: bool,
    /// The platforms it exists on, if not all.
    pub platforms: Option<String>,
    /// Its type, in the SDK docs' words (`String`, `Integer`, `Object`, …).
    pub ty: String,
    /// What it is (Markdown, rendered).
    pub description: String,
    /// Unit, format, bounds, enumerated values, default, example: one line each.
    pub facts: Vec<String>,
}

impl Row {
    /// The cells, in the order of [`HEADER`]: the name with `required` (and
    /// its platforms) under it, the type, the description with its facts
    /// under it.
    pub fn cells(self) -> Vec<String> {
        let mut name = self.path;
        if self.required {
            name.push_str("<br>*required*");
        }
        if let Some(platforms) = self.platforms {
            name.push_str(&format!("<br>*{platforms} only*"));
        }
        let description = std::iter::once(self.description)
            .chain(self.facts)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("<br>");
        vec![name, self.ty, description]
    }
}

/// Builds rows from the IR, following type references.
pub struct Rows<'a> {
    ir: &'a Ir,
    module: &'a Module,
    /// Types being expanded, outermost first: a reference to one of them is recursion.
    stack: Vec<TypeRef>,
    /// The rows so far.
    pub rows: Vec<Row>,
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows").field("rows", &self.rows).finish()
    }
}

impl<'a> Rows<'a> {
    /// No rows yet, for fields of `module`.
    pub fn new(ir: &'a Ir, module: &'a Module) -> Self {
        Rows {
            ir,
            module,
            stack: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// A row for a selector key: a constant the call always carries.
    pub fn selector(&mut self, key: &str, value: &Scalar) {
        let constant = md::code_cell(&scalar_text(value));
        self.rows.push(Row {
            path: md::path(key),
            required: true,
            platforms: None,
            ty: scalar_kind(value).to_owned(),
            description: format!("Selects this operation: always {constant}."),
            facts: Vec::new(),
        });
    }

    /// Rows for `fields` under `prefix`.
    pub fn fields(&mut self, prefix: &str, fields: &[FieldIr]) {
        for f in fields {
            self.field(prefix, f);
        }
    }

    /// A row for one field, then rows for what it contains.
    fn field(&mut self, prefix: &str, f: &FieldIr) {
        let path = join(prefix, &f.wire);
        let mut description = f
            .doc
            .as_deref()
            .or_else(|| self.doc_of(&f.ty))
            .map(md::markdown_cell)
            .unwrap_or_default();
        if let Some(since) = &f.since {
            description = sentence(description, &format!("Since {since}."));
        }
        let mut facts = self.facts(&f.ty);
        if let Some(default) = &f.default {
            facts.push(format!("Default: {}", md::code_cell(&spaced_json(default))));
        }
        if let Some(example) = &f.example {
            facts.push(format!("Example: {}", md::code_cell(&spaced_json(example))));
        }
        self.rows.push(Row {
            path: md::path(&path),
            required: f.required,
            platforms: (!f.platforms.is_empty())
                .then(|| crate::emit::docs::platforms(&f.platforms)),
            ty: self.kind(&f.ty, self.nested_name(&f.wire).as_deref()),
            description,
            facts,
        });
        self.children(&path, &f.ty);
    }

    /// The rows of a whole value (a result, an event) of type `ty`: the fields
    /// of an object, or a row for the value itself (`[]` for an array,
    /// `(result)` otherwise) and the rows it contains.
    pub fn value(&mut self, ty: &Ty) {
        if let Some((def, r)) = self.structure(ty) {
            let fields = fields_of(def).to_vec();
            self.enter(r, |rows| rows.fields("", &fields));
            return;
        }
        let (path, row_path) = if matches!(self.resolved(ty).kind, TyKind::Array { .. }) {
            ("", md::path("[]"))
        } else {
            ("(result)", "(result)".to_owned())
        };
        self.rows.push(Row {
            path: row_path,
            required: !ty.nullable,
            platforms: None,
            ty: self.kind(ty, None),
            description: self.doc_of(ty).map(md::markdown_cell).unwrap_or_default(),
            facts: self.facts(ty),
        });
        self.children(path, ty);
    }

    /// Rows for what a value of `ty` at `path` contains: an object's fields,
    /// an array's items. A type met again inside itself is named, not expanded.
    fn children(&mut self, path: &str, ty: &Ty) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        if let TyKind::Array { items, .. } = &self.resolved(ty).kind {
            self.children(&format!("{path}[]"), items);
            return;
        }
        let Some((def, r)) = self.structure(ty) else {
            return;
        };
        if self.stack.contains(&r) {
            if let Some(row) = self.rows.last_mut() {
                row.facts
                    .push(format!("Recursive: {} again", md::code_cell(r.name())));
            }
            return;
        }
        let fields = fields_of(def).to_vec();
        self.enter(r, |rows| rows.fields(path, &fields));
    }

    /// Runs `f` with the struct `r` on the stack.
    fn enter(&mut self, r: TypeRef, f: impl FnOnce(&mut Self)) {
        self.stack.push(r);
        f(self);
        self.stack.pop();
    }

    /// The definition `r` names, from this module.
    fn def(&self, r: &TypeRef) -> Option<&'a TypeDef> {
        self.ir.resolve(self.module, r)
    }

    /// `ty` with aliases followed (a named string with a pattern is a string).
    fn resolved<'t>(&self, ty: &'t Ty) -> &'t Ty
    where
        'a: 't,
    {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            let TyKind::Ref(r) = &ty.kind else {
                return ty;
            };
            match self.def(r).map(|d| &d.kind) {
                Some(TypeDefKind::Alias(inner)) => ty = inner,
                _ => return ty,
            }
        }
        ty
    }

    /// The struct `ty` is (after aliases), with the reference that names it.
    fn structure(&self, ty: &Ty) -> Option<(&'a TypeDef, TypeRef)> {
        let TyKind::Ref(r) = &self.resolved(ty).kind else {
            return None;
        };
        let def = self.def(r)?;
        matches!(def.kind, TypeDefKind::Struct(_)).then(|| (def, r.clone()))
    }

    /// The documentation of the type `ty` refers to, if any.
    fn doc_of(&self, ty: &Ty) -> Option<&'a str> {
        let TyKind::Ref(r) = &ty.kind else {
            return None;
        };
        self.def(r)?.doc.as_deref()
    }

    /// The name the IR gives the shape written inline for the field `wire`
    /// of the struct being expanded (`VehicleStatus` for `status` in
    /// `Vehicle`): a name made from the path, which the Type cell leaves out.
    fn nested_name(&self, wire: &str) -> Option<String> {
        self.stack
            .last()
            .map(|parent| crate::naming::nested(parent.name(), wire))
    }

    /// The Type cell: `String`, `Array of Object`, `Object (Location)`,
    /// ` or null`; a type named after its path (`nested`, or its items) is
    /// not named again.
    fn kind(&self, ty: &Ty, nested: Option<&str>) -> String {
        let mut out = self.kind_name(ty, 0, nested);
        if ty.nullable {
            out.push_str(" or null");
        }
        out
    }

    fn kind_name(&self, ty: &Ty, depth: usize, nested: Option<&str>) -> String {
        match &ty.kind {
            TyKind::String(_) => "String".to_owned(),
            TyKind::Integer(_) => "Integer".to_owned(),
            TyKind::Number(_) => "Number".to_owned(),
            TyKind::Boolean { .. } => "Boolean".to_owned(),
            TyKind::Any => "Any (JSON)".to_owned(),
            TyKind::Array { items, .. } if depth < MAX_DEPTH => {
                let items_name = nested.map(crate::naming::items);
                format!(
                    "Array of {}",
                    self.kind_name(items, depth + 1, items_name.as_deref())
                )
            }
            TyKind::Array { .. } => "Array".to_owned(),
            TyKind::Ref(r) => {
                let base = match self.def(r).map(|d| &d.kind) {
                    Some(TypeDefKind::Struct(_) | TypeDefKind::Request(_)) | None => {
                        "Object".to_owned()
                    }
                    Some(TypeDefKind::Enum(e)) => enum_kind(e).to_owned(),
                    Some(TypeDefKind::Alias(inner)) if depth < MAX_DEPTH => {
                        self.kind_name(inner, depth + 1, None)
                    }
                    Some(TypeDefKind::Alias(_)) => "Any (JSON)".to_owned(),
                };
                match r {
                    TypeRef::Named(name) if Some(name.as_str()) != nested => {
                        format!("{base} ({})", md::type_name(name))
                    }
                    TypeRef::Named(_) | TypeRef::Local(_) => base,
                }
            }
        }
    }

    /// The facts of `ty` (unit, format, bounds, members), each escaped.
    fn facts(&self, ty: &Ty) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_facts(ty, 0, &mut out);
        out
    }

    fn collect_facts(&self, ty: &Ty, depth: usize, out: &mut Vec<String>) {
        match &ty.kind {
            TyKind::String(s) => string_facts(s, out),
            TyKind::Integer(n) | TyKind::Number(n) => number_facts(n, out),
            TyKind::Boolean { values } => members(values, out),
            TyKind::Any => {}
            TyKind::Array {
                items,
                min_items,
                max_items,
            } => {
                if let Some(count) = bounds(*min_items, *max_items, "item") {
                    out.push(count);
                }
                if depth < MAX_DEPTH {
                    self.collect_facts(items, depth + 1, out);
                }
            }
            TyKind::Ref(r) => match self.def(r).map(|d| &d.kind) {
                Some(TypeDefKind::Enum(e)) => variants(e, out),
                Some(TypeDefKind::Alias(inner)) if depth < MAX_DEPTH => {
                    self.collect_facts(inner, depth + 1, out);
                }
                _ => {}
            },
        }
    }
}

/// The fields of a struct definition (none for anything else).
fn fields_of(def: &TypeDef) -> &[FieldIr] {
    match &def.kind {
        TypeDefKind::Struct(s) => &s.fields,
        _ => &[],
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `text` followed by `more`, a space between them when both are there.
fn sentence(text: String, more: &str) -> String {
    if text.is_empty() {
        more.to_owned()
    } else {
        format!("{text} {more}")
    }
}

fn string_facts(s: &StringIr, out: &mut Vec<String>) {
    if let Some(unit) = &s.unit {
        out.push(format!("Unit: {}", md::cell(unit)));
    }
    if let Some(format) = &s.format {
        out.push(format!("Format: {}", md::cell(format)));
    }
    if let Some(pattern) = &s.pattern {
        out.push(format!("Pattern: {}", md::code_cell(pattern)));
    }
    if let Some(length) = bounds(s.min_length, s.max_length, "character") {
        out.push(length);
    }
}

fn number_facts(n: &NumberIr, out: &mut Vec<String>) {
    if let Some(unit) = &n.unit {
        out.push(format!("Unit: {}", md::cell(unit)));
    }
    match (n.minimum, n.maximum) {
        (Some(lo), Some(hi)) => out.push(format!("From {lo} to {hi}")),
        (Some(lo), None) => out.push(format!("At least {lo}")),
        (None, Some(hi)) => out.push(format!("At most {hi}")),
        (None, None) => {}
    }
    members(&n.values, out);
}

/// `1 to 10 items`, `At most 40 characters`.
fn bounds(min: Option<u64>, max: Option<u64>, what: &str) -> Option<String> {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("{lo} to {hi} {what}s")),
        (Some(lo), None) => Some(format!("At least {lo} {what}{}", plural(lo))),
        (None, Some(hi)) => Some(format!("At most {hi} {what}{}", plural(hi))),
        (None, None) => None,
    }
}

/// Documented members of a number or boolean: `` `0`: Silent. ``
fn members(values: &[MemberIr], out: &mut Vec<String>) {
    for m in values {
        out.push(member(&m.value, m.doc.as_deref()));
    }
}

/// Members of an enumeration.
fn variants(e: &EnumDef, out: &mut Vec<String>) {
    for v in &e.variants {
        out.push(member(&v.value, v.doc.as_deref()));
    }
}

fn member(value: &Scalar, doc: Option<&str>) -> String {
    let value = md::code_cell(&scalar_text(value));
    match doc {
        Some(doc) => format!("{value}: {}", md::markdown_cell(doc)),
        None => value,
    }
}

fn enum_kind(e: &EnumDef) -> &'static str {
    match e.repr {
        crate::ir::EnumRepr::Str => "String",
        crate::ir::EnumRepr::Int => "Integer",
    }
}

/// A JSON value on one line with a space after each `,` and `:`
/// (`{"a": 1, "b": [2, 3]}`), so that a long example can wrap in its cell.
fn spaced_json(value: &serde_json::Value) -> String {
    /// serde_json's compact output, with the spaces.
    struct Spaced;
    impl serde_json::ser::Formatter for Spaced {
        fn begin_array_value<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first {
                Ok(())
            } else {
                writer.write_all(b", ")
            }
        }
        fn begin_object_key<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first {
                Ok(())
            } else {
                writer.write_all(b", ")
            }
        }
        fn begin_object_value<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
        ) -> std::io::Result<()> {
            writer.write_all(b": ")
        }
    }
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Spaced);
    match serde::Serialize::serialize(value, &mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| value.to_string()),
        Err(_) => value.to_string(),
    }
}

/// A constant as the SDK docs show it: strings without quotes.
pub fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Str(s) => s.clone(),
        other => other.to_json().to_string(),
    }
}

/// The Type cell of a constant.
fn scalar_kind(value: &Scalar) -> &'static str {
    match value {
        Scalar::Str(_) => "String",
        Scalar::Int(_) => "Integer",
        Scalar::Num(_) => "Number",
        Scalar::Bool(_) => "Boolean",
    }
}
