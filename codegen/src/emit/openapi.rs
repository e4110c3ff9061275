//! The IR to an OpenAPI document (3.0.3 by default, 3.1.0 on request), for
//! OpenAPI tooling: validators, viewers, other client generators.
//!
//! A pims call is not HTTP, so the document maps it onto HTTP shapes, one
//! operation per api + verb + selector, always the same way:
//!
//! - path `/{api}/{verb}/{name}` (`/pims.authentication.smscode/get/phoneNumberCertification`),
//!   method `post`; `operationId` `{api without "pims."}.{name}`
//!   (`authentication.smscode.phoneNumberCertification`). Both stay as long as
//!   the api, verb and operation name do: the name tells operations of one api
//!   apart even where their selector is the same (other platforms).
//! - the request body is the wire parameters, the selector as a required
//!   one-value `enum`;
//! - response `200` is the `SUCCEEDED` message with its `result`; `default` is
//!   the `FAILED` message, its `error.code` one of the codes the operation lists
//!   (each named in the response's description);
//! - a subscription's `RESULT` messages are the component `{operationId}.events`,
//!   referenced from the operation's `x-pims.events`;
//! - named types are `components/schemas/{Name}`; the types of one operation
//!   (inline objects and enumerations) are written inline;
//! - the rest of the contract (api, verb, selector, securities, platforms,
//!   versions) is in each operation's `x-pims`, and the `@generated` header in
//!   the document's first key, `x-generated`.
//!
//! Received data keeps its forward compatibility: only parameters (what is
//! sent) refuse unknown keys (`additionalProperties: false`).

use serde_json::{Map, Value, json};

use crate::ir::{
    Deprecation, EnumRepr, ErrorVariant, FieldIr, Ir, Module, OperationIr, StructDef, Ty, TyKind,
    TypeDef, TypeDefKind, TypeRef,
};
use crate::spec::Verb;

/// The OpenAPI version written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// 3.0.3: what most tooling (progenitor included) reads.
    #[default]
    V3_0,
    /// 3.1.0: JSON Schema 2020-12 schemas.
    V3_1,
}

impl Version {
    /// Parses `3.0` or `3.1` (the patch, if given, must be the one written).
    pub fn parse(s: &str) -> Option<Version> {
        match s {
            "3.0" | "3.0.3" => Some(Version::V3_0),
            "3.1" | "3.1.0" => Some(Version::V3_1),
            _ => None,
        }
    }

    /// The `openapi` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V3_0 => "3.0.3",
            Version::V3_1 => "3.1.0",
        }
    }
}

/// The stable `operationId` of operation `name` of `api`.
pub fn operation_id(api: &str, name: &str) -> String {
    format!("{}.{name}", api.strip_prefix("pims.").unwrap_or(api))
}

/// The stable path of an operation.
pub fn path(api: &str, verb: Verb, name: &str) -> String {
    format!("/{api}/{}/{name}", verb.as_str())
}

/// Where named type `name` is.
fn component_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The document as JSON text (pretty, final newline), `header` in `x-generated`.
pub fn file(ir: &Ir, version: Version, header: &str) -> String {
    super::json(&document(ir, version, header))
}

/// The OpenAPI document of `ir`.
pub fn document(ir: &Ir, version: Version, header: &str) -> Value {
    let mut schemas = Map::new();
    for def in &ir.types {
        let b = Builder {
            version,
            ir,
            module: None,
        };
        schemas.insert(def.name.clone(), b.def(def));
    }
    let mut paths = Map::new();
    for module in &ir.modules {
        let b = Builder {
            version,
            ir,
            module: Some(module),
        };
        for op in &module.operations {
            let id = operation_id(&module.api, &op.name);
            let mut operation = b.operation(module, op, &id);
            if let Some(event) = &op.event {
                let key = format!("{id}.events");
                schemas.insert(key.clone(), b.events(op, event.as_ref()));
                if let Some(Value::Object(x)) = operation.get_mut("x-pims") {
                    x.insert("events".into(), component_ref(&key));
                }
            }
            paths.insert(
                path(&module.api, op.verb, &op.name),
                json!({ "post": operation }),
            );
        }
    }
    let tags: Vec<Value> = ir
        .components
        .iter()
        .map(|c| {
            let mut tag = Map::new();
            tag.insert("name".into(), c.name.clone().into());
            let description = match (&c.title, &c.description) {
                (Some(t), Some(d)) => Some(format!("{t}: {d}")),
                (Some(t), None) => Some(t.clone()),
                (None, d) => d.clone(),
            };
            if let Some(d) = description {
                tag.insert("description".into(), d.into());
            }
            Value::Object(tag)
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("x-generated".into(), header.into());
    doc.insert("openapi".into(), version.as_str().into());
    doc.insert(
        "info".into(),
        json!({
            "title": ir.sdk_name,
            "version": ir.sdk_version.to_string(),
            "description": format!(
                "The calls of the {} {} facade, `pims.<verb>(api, parameters, callback)`, as \
                 HTTP operations: `POST /{{api}}/{{verb}}/{{name}}` with the parameters as the \
                 body; `200` is the SUCCEEDED message, `default` the FAILED one. The pims \
                 contract of each operation is in its `x-pims`.",
                ir.sdk_name, ir.sdk_version
            ),
        }),
    );
    doc.insert("tags".into(), Value::Array(tags));
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert("components".into(), json!({ "schemas": schemas }));
    Value::Object(doc)
}

struct Builder<'a> {
    version: Version,
    ir: &'a Ir,
    /// The module whose local types are inlined (`None` for named types).
    module: Option<&'a Module>,
}

impl Builder<'_> {
    fn operation(&self, module: &Module, op: &OperationIr, id: &str) -> Value {
        let mut o = Map::new();
        o.insert("operationId".into(), id.into());
        o.insert("tags".into(), json!([op.component]));
        o.insert(
            "summary".into(),
            format!("{} {}", module.api, op.title).into(),
        );
        if let Some(d) = &op.description {
            o.insert("description".into(), d.clone().into());
        }
        if op.deprecated.is_some() {
            o.insert("deprecated".into(), true.into());
        }
        o.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "application/json": { "schema": self.parameters(op) } },
            }),
        );
        let succeeded = match op.verb {
            Verb::Subscribe => {
                "SUCCEEDED: the subscription is in place; events follow as RESULT messages (`x-pims.events`)."
            }
            _ => "SUCCEEDED: the call's result.",
        };
        o.insert(
            "responses".into(),
            json!({
                "200": {
                    "description": succeeded,
                    "content": { "application/json": { "schema":
                        self.message("SUCCEEDED", Some(op.result.as_ref())) } },
                },
                "default": {
                    "description": self.failed_description(op),
                    "content": { "application/json": { "schema":
                        self.message("FAILED", None) } },
                },
            }),
        );
        let mut x = Map::new();
        x.insert("api".into(), module.api.clone().into());
        x.insert("verb".into(), op.verb.as_str().into());
        x.insert("name".into(), op.name.clone().into());
        x.insert(
            "selector".into(),
            Value::Object(
                op.selector
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        );
        x.insert("errors".into(), json!(op.errors));
        x.insert("security".into(), json!(op.security));
        x.insert("compatibility".into(), json!(op.compatibility));
        if !op.platforms.is_empty() {
            let p: Vec<&str> = op.platforms.iter().map(|p| p.as_str()).collect();
            x.insert("platforms".into(), json!(p));
        }
        x.insert("since".into(), op.since.to_string().into());
        if let Some(u) = &op.updated {
            x.insert("updated".into(), u.to_string().into());
        }
        if let Some(Deprecation::Because(reason)) = &op.deprecated {
            x.insert("deprecated".into(), reason.clone().into());
        }
        if op.verb == Verb::Subscribe {
            x.insert("unsubscribe".into(), true.into());
        }
        o.insert("x-pims".into(), Value::Object(x));
        Value::Object(o)
    }

    fn failed_description(&self, op: &OperationIr) -> String {
        let mut text = String::from("FAILED, with one of the codes the operation lists:");
        for code in &op.errors {
            match self.ir.error(*code) {
                Some(ErrorVariant { name, label, .. }) => {
                    text.push_str(&format!("\n- {code} {name}: {label}"));
                }
                None => text.push_str(&format!("\n- {code}")),
            }
        }
        text
    }

    /// The wire parameters: the selector first, then the fields; nothing else.
    fn parameters(&self, op: &OperationIr) -> Value {
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
        self.object(&request, &constants)
    }

    /// A message: `result` is `Some(result type)` for SUCCEEDED or RESULT with
    /// data (`Some(None)`: no data), `None` for an `error`.
    fn message(&self, status: &str, result: Option<Option<&Ty>>) -> Value {
        let mut properties = Map::new();
        properties.insert("transactionId".into(), json!({ "type": "string" }));
        properties.insert(
            "status".into(),
            json!({ "type": "string", "enum": [status] }),
        );
        let mut required = vec![json!("transactionId"), json!("status")];
        match result {
            Some(Some(ty)) => {
                properties.insert("result".into(), self.ty(ty));
                required.push("result".into());
            }
            Some(None) => {
                properties.insert("result".into(), self.no_data());
            }
            None => {
                properties.insert("error".into(), self.error_object());
                required.push("error".into());
            }
        }
        json!({
            "type": "object",
            "required": required,
            "properties": properties,
        })
    }

    /// `{}` or `null`.
    fn no_data(&self) -> Value {
        let object = json!({ "type": "object", "maxProperties": 0 });
        let mut schema = self.nullable(object);
        if let Some(m) = schema.as_object_mut() {
            m.insert("description".into(), "No data: `{}` or `null`.".into());
        }
        schema
    }

    /// The `error` object. The code's `enum` is left to the response's
    /// description: a client must still read a code the operation does not list.
    fn error_object(&self) -> Value {
        json!({
            "type": "object",
            "required": ["code", "label"],
            "properties": {
                "code": { "type": "integer", "description": "The catalogue code." },
                "label": { "type": "string", "description": "The label, its placeholders possibly filled in." },
                "subCode": { "type": "array", "items": {}, "description": "Sub-codes, for the codes that carry them." },
            },
        })
    }

    /// The RESULT messages of a subscription: an event, or an error.
    fn events(&self, op: &OperationIr, event: Option<&Ty>) -> Value {
        json!({
            "description": format!("A RESULT message of the subscription {}: an event or an error.", op.name),
            "oneOf": [
                self.message("RESULT", Some(event)),
                self.message("RESULT", None),
            ],
        })
    }

    fn nullable(&self, schema: Value) -> Value {
        match self.version {
            Version::V3_1 => json!({ "anyOf": [schema, { "type": "null" }] }),
            Version::V3_0 => match schema {
                Value::Object(mut m) if m.contains_key("type") => {
                    m.insert("nullable".into(), true.into());
                    Value::Object(m)
                }
                Value::Object(m) if m.is_empty() => Value::Object(m),
                other => json!({ "allOf": [other], "nullable": true }),
            },
        }
    }

    fn ty(&self, ty: &Ty) -> Value {
        let schema = match &ty.kind {
            TyKind::String(s) => {
                let mut m = Map::new();
                m.insert("type".into(), "string".into());
                if let Some(f) = &s.format {
                    m.insert("format".into(), f.clone().into());
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
                    m.insert("minimum".into(), super::schema::number(v));
                }
                if let Some(v) = n.maximum {
                    m.insert("maximum".into(), super::schema::number(v));
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
            TyKind::Ref(TypeRef::Named(name)) => component_ref(name),
            TyKind::Ref(r @ TypeRef::Local(_)) => {
                match self.module.and_then(|m| self.ir.resolve(m, r)) {
                    Some(def) => self.def(def),
                    None => json!({}),
                }
            }
        };
        if ty.nullable {
            self.nullable(schema)
        } else {
            schema
        }
    }

    fn def(&self, def: &TypeDef) -> Value {
        let mut schema = match &def.kind {
            TypeDefKind::Struct(s) => self.object(s, &[]),
            // requests are the operations' bodies, never referenced
            TypeDefKind::Request(_) => json!({}),
            TypeDefKind::Enum(e) => {
                let kind = match e.repr {
                    EnumRepr::Str => "string",
                    EnumRepr::Int => "integer",
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
            object.insert("description".into(), doc.clone().into());
        }
        schema
    }

    /// An object: the `constants` (selector values, required) before `fields`.
    fn object(&self, s: &StructDef, constants: &[(String, Value)]) -> Value {
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for (key, value) in constants {
            properties.insert(key.clone(), json!({ "enum": [value] }));
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
        if !required.is_empty() {
            m.insert("required".into(), Value::Array(required));
        }
        m.insert("properties".into(), Value::Object(properties));
        if s.additional {
            m.insert("additionalProperties".into(), true.into());
        } else if s.strict {
            m.insert("additionalProperties".into(), false.into());
        }
        Value::Object(m)
    }

    fn field(&self, f: &FieldIr) -> Value {
        let mut schema = self.ty(&f.ty);
        if let Some(object) = schema.as_object_mut()
            && !object.contains_key("$ref")
        {
            if let Some(doc) = &f.doc {
                object.insert("description".into(), doc.clone().into());
            }
            if let Some(example) = &f.example {
                match self.version {
                    Version::V3_0 => object.insert("example".into(), example.clone()),
                    Version::V3_1 => object.insert("examples".into(), json!([example])),
                };
            }
            if let Some(default) = &f.default {
                object.insert("default".into(), default.clone());
            }
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths() {
        assert_eq!(
            operation_id("pims.authentication.smscode", "phoneNumberCertification"),
            "authentication.smscode.phoneNumberCertification"
        );
        assert_eq!(
            path("pims.vehicle.event", Verb::Subscribe, "vehicleEvents"),
            "/pims.vehicle.event/subscribe/vehicleEvents"
        );
        assert_eq!(Version::parse("3.0"), Some(Version::V3_0));
        assert_eq!(Version::parse("3.1").map(Version::as_str), Some("3.1.0"));
        assert_eq!(Version::parse("2.0"), None);
    }
}
