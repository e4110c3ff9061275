//! The IR to JSON Schemas (draft 2020-12): per operation, its wire parameters
//! and every message its callback can receive. Each file is self-contained:
//! the named types it uses are copied into its `$defs`, and its root
//! `examples` are the operation's documented examples.
//!
//! Every schema compiles under the strict defaults of ajv (draft 2020, with
//! ajv-formats), Python `jsonschema` and the Rust `jsonschema` crate: only the
//! [`FORMATS`] they all know are written as `format`; any other format of the
//! spec (`phone`, `language`, …) is said in the `description`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{
    FieldIr, Ir, Module, OperationIr, StructDef, Ty, TyKind, TypeDef, TypeDefKind, TypeRef,
};

/// The draft every schema declares.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The `format`s written as such: those of draft 2020-12 that ajv-formats,
/// Python `jsonschema` and the Rust `jsonschema` crate all check. (`idn-email`,
/// `idn-hostname`, `iri` and `iri-reference` are left out: ajv-formats does not
/// know them, so strict ajv refuses them.)
pub const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// The `transactionId` of the example messages (the one the SDK's pages show).
pub const TRANSACTION_ID: &str = "953cfefb-bc72";

/// How the description says a format that is not one of [`FORMATS`].
fn format_note(format: &str) -> String {
    format!("Format: `{format}`.")
}

/// Sets `doc` as the description of `object`, before the format note that
/// may already be there.
fn describe(object: &mut Map<String, Value>, doc: &str) {
    let text = match object.get("description").and_then(Value::as_str) {
        Some(note) => format!("{doc} {note}"),
        None => doc.to_owned(),
    };
    object.insert("description".into(), text.into());
}

struct Builder<'a> {
    ir: &'a Ir,
    module: &'a Module,
    /// Named types referenced so far (filled transitively).
    defs: BTreeMap<String, Value>,
}

impl<'a> Builder<'a> {
    fn new(ir: &'a Ir, module: &'a Module) -> Self {
        Builder {
            ir,
            module,
            defs: BTreeMap::new(),
        }
    }

    fn ty(&mut self, ty: &Ty) -> Value {
        let schema = match &ty.kind {
            TyKind::String(s) => {
                let mut m = Map::new();
                m.insert("type".into(), "string".into());
                if let Some(f) = &s.format {
                    if FORMATS.contains(&f.as_str()) {
                        m.insert("format".into(), f.clone().into());
                    } else {
                        m.insert("description".into(), format_note(f).into());
                    }
                }
                if let Some(p) = &s.pattern {
                    m.insert("pattern".into(), p.clone().into());
                }
                if let Some(n) = s.min_length {
                    m.insert("minLength".into(), n.into());
                }
                if let Some(n) = s.max_length {
                    m.insert("maxLength".into(), n.into());
                }
                Value::Object(m)
            }
            TyKind::Integer(n) | TyKind::Number(n) => {
                let mut m = Map::new();
                let kind = if matches!(ty.kind, TyKind::Integer(_)) {
                    "integer"
                } else {
                    "number"
                };
                m.insert("type".into(), kind.into());
                if let Some(v) = n.minimum {
                    m.insert("minimum".into(), number(v));
                }
                if let Some(v) = n.maximum {
                    m.insert("maximum".into(), number(v));
                }
                if !n.values.is_empty() {
                    m.insert(
                        "enum".into(),
                        n.values.iter().map(|v| v.value.to_json()).collect(),
                    );
                }
                Value::Object(m)
            }
            TyKind::Boolean { .. } => json!({ "type": "boolean" }),
            TyKind::Any => json!({}),
            TyKind::Array {
                items,
                min_items,
                max_items,
            } => {
                let mut m = Map::new();
                m.insert("type".into(), "array".into());
                m.insert("items".into(), self.ty(items));
                if let Some(n) = min_items {
                    m.insert("minItems".into(), (*n).into());
                }
                if let Some(n) = max_items {
                    m.insert("maxItems".into(), (*n).into());
                }
                Value::Object(m)
            }
            TyKind::Ref(TypeRef::Named(name)) => {
                self.named(name);
                json!({ "$ref": format!("#/$defs/{name}") })
            }
            TyKind::Ref(TypeRef::Local(name)) => {
                match self.module.types.iter().find(|t| t.name == *name) {
                    Some(def) => self.def(def),
                    None => json!({}),
                }
            }
        };
        if ty.nullable {
            json!({ "anyOf": [schema, { "type": "null" }] })
        } else {
            schema
        }
    }

    fn named(&mut self, name: &str) {
        if self.defs.contains_key(name) {
            return;
        }
        // reserve the name first: named types may refer to themselves
        self.defs.insert(name.to_owned(), Value::Null);
        let schema = match self.ir.named(name) {
            Some(def) => self.def(def),
            None => json!({}),
        };
        self.defs.insert(name.to_owned(), schema);
    }

    fn def(&mut self, def: &TypeDef) -> Value {
        let mut schema = match &def.kind {
            TypeDefKind::Struct(s) => self.object(s, &[]),
            // requests are not referenced: their schema is the parameters file
            TypeDefKind::Request(_) => json!({}),
            TypeDefKind::Enum(e) => {
                let kind = match e.repr {
                    crate::ir::EnumRepr::Str => "string",
                    crate::ir::EnumRepr::Int => "integer",
                };
                json!({
                    "type": kind,
                    "enum": e.variants.iter().map(|v| v.value.to_json()).collect::<Vec<_>>(),
                })
            }
            TypeDefKind::Alias(ty) => self.ty(ty),
        };
        if let (Some(doc), Some(object)) = (&def.doc, schema.as_object_mut())
            && !object.contains_key("$ref")
        {
            describe(object, doc);
        }
        schema
    }

    /// An object: `fields` after the `constants` (selector values).
    fn object(&mut self, s: &StructDef, constants: &[(String, Value)]) -> Value {
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for (key, value) in constants {
            properties.insert(key.clone(), json!({ "const": value }));
            required.push(key.clone().into());
        }
        for f in &s.fields {
            properties.insert(f.wire.clone(), self.field(f));
            if f.required {
                required.push(f.wire.clone().into());
            }
        }
        let mut m = Map::new();
        m.insert("type".into(), "object".into());
        m.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            m.insert("required".into(), Value::Array(required));
        }
        if !s.additional {
            m.insert("additionalProperties".into(), false.into());
        }
        Value::Object(m)
    }

    fn field(&mut self, f: &FieldIr) -> Value {
        let mut schema = self.ty(&f.ty);
        if let Some(object) = schema.as_object_mut()
            && !object.contains_key("$ref")
        {
            if let Some(doc) = &f.doc {
                describe(object, doc);
            }
            if let Some(example) = &f.example {
                object.insert("examples".into(), json!([example]));
            }
            if let Some(default) = &f.default {
                object.insert("default".into(), default.clone());
            }
        }
        schema
    }

    fn finish(self, header: &str, title: String, body: Map<String, Value>) -> Value {
        let mut root = Map::new();
        root.insert("$comment".into(), header.into());
        root.insert("$schema".into(), DRAFT.into());
        root.insert("title".into(), title.into());
        root.extend(body);
        if !self.defs.is_empty() {
            root.insert(
                "$defs".into(),
                Value::Object(self.defs.into_iter().collect()),
            );
        }
        Value::Object(root)
    }
}

pub(crate) fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// The schema of an operation's wire parameters (selector as `const`).
pub fn parameters(ir: &Ir, module: &Module, op: &OperationIr, header: &str) -> Value {
    let mut b = Builder::new(ir, module);
    let constants: Vec<(String, Value)> = op
        .selector
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let request = StructDef {
        strict: true,
        fields: op.params.clone(),
        additional: false,
    };
    let Value::Object(mut body) = b.object(&request, &constants) else {
        return Value::Null;
    };
    if let Some(d) = &op.description {
        body.insert("description".into(), d.clone().into());
    }
    let mut examples: Vec<Value> = Vec::new();
    for ex in &op.examples {
        if !examples.contains(&ex.parameters) {
            examples.push(ex.parameters.clone());
        }
    }
    if !examples.is_empty() {
        body.insert("examples".into(), Value::Array(examples));
    }
    let title = format!("{} {}: parameters", module.api, op.name);
    b.finish(header, title, body)
}

/// The schema of every message the callback of an operation can receive.
pub fn message(ir: &Ir, module: &Module, op: &OperationIr, header: &str) -> Value {
    let mut b = Builder::new(ir, module);
    let envelope = |status: &str, extra: Map<String, Value>, required: &[&str]| {
        let mut properties = Map::new();
        properties.insert("transactionId".into(), json!({ "type": "string" }));
        properties.insert("status".into(), json!({ "const": status }));
        properties.extend(extra);
        let mut req: Vec<Value> = vec!["transactionId".into(), "status".into()];
        req.extend(required.iter().map(|r| Value::from(*r)));
        json!({
            "title": status,
            "type": "object",
            "properties": properties,
            "required": req,
            "additionalProperties": false,
        })
    };
    let no_data = json!({
        "description": "No data: `{}` or `null`.",
        "anyOf": [{ "type": "null" }, { "type": "object", "maxProperties": 0 }],
    });
    let mut branches = Vec::new();
    let (result, result_required) = match &op.result {
        Some(ty) => (b.ty(ty), true),
        None => (no_data.clone(), false),
    };
    let mut extra = Map::new();
    extra.insert("result".into(), result);
    branches.push(envelope(
        "SUCCEEDED",
        extra,
        if result_required { &["result"] } else { &[] },
    ));
    let mut extra = Map::new();
    extra.insert("error".into(), json!({ "$ref": "#/$defs/pims-error" }));
    branches.push(envelope("FAILED", extra, &["error"]));
    if let Some(event) = &op.event {
        let (result, required) = match event {
            Some(ty) => (b.ty(ty), true),
            None => (no_data, false),
        };
        let mut extra = Map::new();
        extra.insert("result".into(), result);
        branches.push(envelope(
            "RESULT",
            extra,
            if required { &["result"] } else { &[] },
        ));
        let mut extra = Map::new();
        extra.insert("error".into(), json!({ "$ref": "#/$defs/pims-error" }));
        branches.push(envelope("RESULT", extra, &["error"]));
    }
    let codes: Vec<Value> = op.errors.iter().map(|c| Value::from(*c)).collect();
    b.defs.insert(
        "pims-error".into(),
        json!({
            "description": "The error of a failed call: one of the codes the operation lists.",
            "type": "object",
            "properties": {
                "code": { "enum": codes },
                "label": { "type": "string" },
                "subCode": { "type": "array" },
            },
            "required": ["code", "label"],
            "additionalProperties": false,
        }),
    );
    let mut body = Map::new();
    body.insert("oneOf".into(), Value::Array(branches));
    let examples = example_messages(ir, op);
    if !examples.is_empty() {
        body.insert("examples".into(), Value::Array(examples));
    }
    let title = format!("{} {}: messages", module.api, op.name);
    b.finish(header, title, body)
}

/// The messages the operation documents, each once: every example's answer
/// (`SUCCEEDED` with its result, or `FAILED` with its code and the
/// catalogue's label) and `RESULT` events; when no example fails, a `FAILED`
/// answer with the first listed code follows.
pub fn example_messages(ir: &Ir, op: &OperationIr) -> Vec<Value> {
    let failed = |code: i64| {
        ir.error(code).map(|e| {
            json!({
                "transactionId": TRANSACTION_ID,
                "status": "FAILED",
                "error": { "code": code, "label": e.label },
            })
        })
    };
    let mut out: Vec<Value> = Vec::new();
    let mut push = |message: Value| {
        if !out.contains(&message) {
            out.push(message);
        }
    };
    for ex in &op.examples {
        match &ex.outcome {
            crate::ir::Outcome::Succeeded(result) => push(json!({
                "transactionId": TRANSACTION_ID,
                "status": "SUCCEEDED",
                "result": result,
            })),
            crate::ir::Outcome::Failed(code) => {
                if let Some(message) = failed(*code) {
                    push(message);
                }
            }
        }
        for event in &ex.events {
            push(json!({ "transactionId": TRANSACTION_ID, "status": "RESULT", "result": event }));
        }
    }
    let fails = |ex: &crate::ir::ExampleIr| matches!(ex.outcome, crate::ir::Outcome::Failed(_));
    if !op.examples.iter().any(fails)
        && let Some(message) = op.errors.first().and_then(|code| failed(*code))
    {
        push(message);
    }
    out
}
