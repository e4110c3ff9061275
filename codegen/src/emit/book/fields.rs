//! The parameter and output tables: a row per field, nested fields as dotted
//! paths (`vehicle.status.fuel`, array items as `items[]`), named and local
//! types followed, recursion cut where a type contains itself.

use crate::ir::{
    EnumDef, FieldIr, Ir, MemberIr, Module, NumberIr, StringIr, Ty, TyKind, TypeDef, TypeDefKind,
    TypeRef,
};
use crate::spec::Scalar;

use super::md;

/// How deep nested objects are followed before the table stops.
const MAX_DEPTH: usize = 12;

/// The header of a field table.
pub const HEADER: [&str; 6] = [
    "Param name",
    "Description",
    "Type",
    "Unit/Values",
    "Example",
    "Required",
];

/// The header of an output table.
pub const OUTPUT_HEADER: [&str; 6] = [
    "Field name",
    "Description",
    "Type",
    "Unit/Values",
    "Example",
    "Required",
];

/// One row of a field table, its cells escaped.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The dotted path.
    pub path: String,
    /// What it is.
    pub description: String,
    /// Its type, in the SDK docs' words (`String`, `Integer`, `Object`, …).
    pub ty: String,
    /// Unit, format, bounds, enumerated values, default.
    pub values: String,
    /// An example value.
    pub example: String,
    /// `true` or `false`, and the platforms it exists on.
    pub required: String,
}

impl Row {
    /// The cells, in the order of [`HEADER`].
    pub fn cells(self) -> Vec<String> {
        vec![
            self.path,
            self.description,
            self.ty,
            self.values,
            self.example,
            self.required,
        ]
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
            path: md::cell(key),
            description: format!("Selects this operation: always {constant}."),
            ty: scalar_kind(value).to_owned(),
            values: constant,
            example: md::code_cell(&value.to_json().to_string()),
            required: "true".to_owned(),
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
        let mut values = self.facts(&f.ty);
        if let Some(default) = &f.default {
            values.push(format!("default: {}", md::code_cell(&default.to_string())));
        }
        let example = f
            .example
            .as_ref()
            .map(|e| md::code_cell(&e.to_string()))
            .unwrap_or_default();
        let mut required = f.required.to_string();
        if !f.platforms.is_empty() {
            required.push_str(&format!(
                " ({} only)",
                crate::emit::docs::platforms(&f.platforms)
            ));
        }
        self.rows.push(Row {
            path: md::cell(&path),
            description,
            ty: self.kind(&f.ty),
            values: values.join("<br>"),
            example,
            required,
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
            ("", "[]")
        } else {
            ("(result)", "(result)")
        };
        self.rows.push(Row {
            path: md::cell(row_path),
            description: self.doc_of(ty).map(md::markdown_cell).unwrap_or_default(),
            ty: self.kind(ty),
            values: self.facts(ty).join("<br>"),
            example: String::new(),
            required: (!ty.nullable).to_string(),
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
                let note = format!("recursive: {} again", md::code_cell(r.name()));
                row.values = if row.values.is_empty() {
                    note
                } else {
                    format!("{}<br>{note}", row.values)
                };
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

    /// The Type cell: `String`, `Array of Object`, `Object (Location)`, `, nullable`.
    fn kind(&self, ty: &Ty) -> String {
        let mut out = self.kind_name(ty, 0);
        if ty.nullable {
            out.push_str(" or null");
        }
        out
    }

    fn kind_name(&self, ty: &Ty, depth: usize) -> String {
        match &ty.kind {
            TyKind::String(_) => "String".to_owned(),
            TyKind::Integer(_) => "Integer".to_owned(),
            TyKind::Number(_) => "Number".to_owned(),
            TyKind::Boolean { .. } => "Boolean".to_owned(),
            TyKind::Any => "Any (JSON)".to_owned(),
            TyKind::Array { items, .. } if depth < MAX_DEPTH => {
                format!("Array of {}", self.kind_name(items, depth + 1))
            }
            TyKind::Array { .. } => "Array".to_owned(),
            TyKind::Ref(r) => {
                let base = match self.def(r).map(|d| &d.kind) {
                    Some(TypeDefKind::Struct(_) | TypeDefKind::Request(_)) | None => {
                        "Object".to_owned()
                    }
                    Some(TypeDefKind::Enum(e)) => enum_kind(e).to_owned(),
                    Some(TypeDefKind::Alias(inner)) if depth < MAX_DEPTH => {
                        self.kind_name(inner, depth + 1)
                    }
                    Some(TypeDefKind::Alias(_)) => "Any (JSON)".to_owned(),
                };
                match r {
                    TypeRef::Named(name) => format!("{base} ({})", md::cell(name)),
                    TypeRef::Local(_) => base,
                }
            }
        }
    }

    /// The Unit/Values facts of `ty`, each escaped.
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
        out.push(format!("unit: {}", md::cell(unit)));
    }
    if let Some(format) = &s.format {
        out.push(format!("format: {}", md::cell(format)));
    }
    if let Some(pattern) = &s.pattern {
        out.push(format!("pattern: {}", md::code_cell(pattern)));
    }
    if let Some(length) = bounds(s.min_length, s.max_length, "character") {
        out.push(length);
    }
}

fn number_facts(n: &NumberIr, out: &mut Vec<String>) {
    if let Some(unit) = &n.unit {
        out.push(format!("unit: {}", md::cell(unit)));
    }
    match (n.minimum, n.maximum) {
        (Some(lo), Some(hi)) => out.push(format!("from {lo} to {hi}")),
        (Some(lo), None) => out.push(format!("at least {lo}")),
        (None, Some(hi)) => out.push(format!("at most {hi}")),
        (None, None) => {}
    }
    members(&n.values, out);
}

/// `1 to 10 items`, `at most 40 characters`.
fn bounds(min: Option<u64>, max: Option<u64>, what: &str) -> Option<String> {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("{lo} to {hi} {what}s")),
        (Some(lo), None) => Some(format!("at least {lo} {what}{}", plural(lo))),
        (None, Some(hi)) => Some(format!("at most {hi} {what}{}", plural(hi))),
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
