//! `JsonSchema` for the model's parts that YAML writes flat: a type is one map
//! holding `type`, the keys of its kind and, for a field, the field's keys.
//! The kinds' keys come from their derived schemas, so the meta-schema and the
//! model cannot drift apart.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use super::{
    ApiFile, ArrayType, BooleanType, EnumValue, Field, Manifest, NamedMap, NumberType, ObjectType,
    Platform, Scalar, Sp, StringType, Type, Version,
};

/// The two kinds of spec file, each with its own meta-schema, so that a
/// generic validator reports a misspelt key against the right kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `pims.yaml`.
    Manifest,
    /// Every other `*.yaml` of a spec folder: one api.
    Api,
}

impl FileKind {
    /// Both kinds, manifest first.
    pub const ALL: [FileKind; 2] = [FileKind::Manifest, FileKind::Api];

    /// As the command line writes it: `manifest`, `api`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Manifest => "manifest",
            FileKind::Api => "api",
        }
    }

    /// The kind named `name` (`manifest` or `api`).
    pub fn parse(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The meta-schema's file name, as written to `spec/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Manifest => "pims-manifest.schema.json",
            FileKind::Api => "pims-api.schema.json",
        }
    }
}

/// The meta-schema of one kind of spec file, as written to
/// `spec/schema/<kind.file_name()>`.
pub fn meta_schema(kind: FileKind) -> Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let generator = settings.into_generator();
    let (title, description, root) = match kind {
        FileKind::Manifest => (
            "pims spec manifest (pims.yaml)",
            "The manifest `pims.yaml` of a pims spec folder: the SDK, its securities, components, error catalogue and shared types.",
            generator.into_root_schema_for::<Manifest>(),
        ),
        FileKind::Api => (
            "pims spec api file",
            "An api file of a pims spec folder (any `*.yaml` but `pims.yaml`): one `pims.*` api name and its operations.",
            generator.into_root_schema_for::<ApiFile>(),
        ),
    };
    let mut value = root.to_value();
    // an absent key is how YAML leaves an optional value out: `null` is refused
    drop_null(&mut value);
    drop_rust_formats(&mut value);
    let Value::Object(generated) = value else {
        return Value::Null;
    };
    // the identifying keys first, then the rest as generated
    let mut out = Map::new();
    if let Some(v) = generated.get("$schema") {
        out.insert("$schema".into(), v.clone());
    }
    out.insert("title".into(), title.into());
    out.insert("description".into(), description.into());
    for (k, v) in generated {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// The `format`s schemars gives Rust numbers (`uint64`, `double`, …): they name
/// a Rust type, not a JSON Schema format, and strict validators refuse them.
/// `type` (and `minimum: 0` for unsigned ones, which schemars adds) says it.
const RUST_FORMATS: &[&str] = &[
    "int", "int8", "int16", "int32", "int64", "int128", "uint", "uint8", "uint16", "uint32",
    "uint64", "uint128", "float", "double",
];

/// Removes schemars' [`RUST_FORMATS`] from every schema in `value`.
fn drop_rust_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| RUST_FORMATS.contains(&f))
            {
                map.remove("format");
            }
            map.values_mut().for_each(drop_rust_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_rust_formats),
        _ => {}
    }
}

/// Removes the `null` that schemars adds for `Option` fields.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types[0].clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.retain(|b| b != &json!({ "type": "null" }));
                if branches.len() == 1
                    && let Some(Value::Object(only)) = branches.pop()
                {
                    map.remove("anyOf");
                    for (k, v) in only {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            for v in map.values_mut() {
                drop_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

impl<T: JsonSchema> JsonSchema for NamedMap<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<T>(),
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

impl JsonSchema for Version {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A release: `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, quoted (`\"2.3\"`).",
            "type": "string",
            "pattern": "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$",
        })
    }
}

impl JsonSchema for EnumValue {
    fn schema_name() -> Cow<'static, str> {
        "EnumValue".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let scalar = generator.subschema_for::<Scalar>();
        json_schema!({
            "description": "A member of an enumeration: the value, or `{value, description, name}`.",
            "anyOf": [
                scalar,
                {
                    "type": "object",
                    "properties": {
                        "value": scalar,
                        "description": { "type": "string" },
                        "name": {
                            "description": "The Rust variant, where the value makes a poor one.",
                            "type": "string",
                        },
                    },
                    "required": ["value"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

/// The keys every type may have.
fn common_keys(keyword: Value) -> Map<String, Value> {
    let mut props = Map::new();
    props.insert("type".into(), keyword);
    props.insert(
        "nullable".into(),
        json!({ "description": "Whether `null` is allowed too.", "type": "boolean" }),
    );
    props.insert("description".into(), json!({ "type": "string" }));
    props
}

/// The keys a field adds to its type.
fn field_keys(generator: &mut SchemaGenerator) -> Map<String, Value> {
    let mut props = Map::new();
    props.insert(
        "required".into(),
        json!({ "description": "Whether it must be present (default `false`).", "type": "boolean" }),
    );
    props.insert(
        "example".into(),
        json!({ "description": "A value that fits the type, for docs and built examples." }),
    );
    props.insert(
        "default".into(),
        json!({ "description": "The value assumed when absent." }),
    );
    props.insert(
        "since".into(),
        generator.subschema_for::<Version>().to_value(),
    );
    props.insert(
        "platforms".into(),
        json!({ "type": "array", "items": generator.subschema_for::<Platform>() }),
    );
    props
}

/// One `oneOf` branch per kind; `with_field` adds the field keys.
fn type_schema(generator: &mut SchemaGenerator, with_field: bool, description: &str) -> Schema {
    let kinds: Vec<(&str, Schema)> = vec![
        ("string", StringType::json_schema(generator)),
        ("integer", NumberType::json_schema(generator)),
        ("number", NumberType::json_schema(generator)),
        ("boolean", BooleanType::json_schema(generator)),
        ("object", ObjectType::json_schema(generator)),
        ("array", ArrayType::json_schema(generator)),
        ("any", json_schema!({ "type": "object", "properties": {} })),
    ];
    let extra = if with_field {
        field_keys(generator)
    } else {
        Map::new()
    };
    let mut branches = Vec::new();
    for (keyword, kind) in kinds {
        let mut props = common_keys(json!({ "const": keyword }));
        if let Some(Value::Object(kind_props)) = kind.get("properties") {
            props.extend(kind_props.clone());
        }
        props.extend(extra.clone());
        let mut branch = json!({
            "type": "object",
            "properties": props,
            "required": ["type"],
            "additionalProperties": false,
        });
        if let (Some(required), Some(Value::Array(list))) =
            (branch.get_mut("required"), kind.get("required"))
            && let Value::Array(required) = required
        {
            required.extend(list.iter().cloned());
        }
        branches.push(branch);
    }
    let mut named = common_keys(json!({
        "description": "A named type from `types:`.",
        "type": "string",
        "pattern": "^[A-Z][A-Za-z0-9]*$",
    }));
    named.extend(extra);
    branches.push(json!({
        "type": "object",
        "properties": named,
        "required": ["type"],
        "additionalProperties": false,
    }));
    json_schema!({
        "description": description,
        "type": "object",
        "oneOf": branches,
    })
}

impl JsonSchema for Type {
    fn schema_name() -> Cow<'static, str> {
        "Type".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        type_schema(
            generator,
            false,
            "A type: `type` (string, integer, number, boolean, object, array, any, or an UpperCamel named type) and the keys its kind allows.",
        )
    }
}

impl JsonSchema for Field {
    fn schema_name() -> Cow<'static, str> {
        "Field".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        type_schema(
            generator,
            true,
            "A parameter or an object's field: a type plus `required`, `example`, `default`, `since`, `platforms`.",
        )
    }
}
