//! `JsonSchema` for the model's parts that YAML writes flat: a type is one map
//! holding `type`, the keys of its kind and, for a field, the field's keys.
//! The kinds' keys come from their derived schemas, so the meta-schema and the
//! model cannot drift apart.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use super::{
    ArrayType, BooleanType, EnumValue, Field, NamedMap, NumberType, ObjectType, Platform, Scalar,
    Sp, SpecFile, StringType, Type, Version,
};

/// The meta-schema of spec files, as written to `spec/schema/pims-spec.schema.json`.
pub fn meta_schema() -> Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let generator = settings.into_generator();
    let mut value = generator.into_root_schema_for::<SpecFile>().to_value();
    // an absent key is how YAML leaves an optional value out: `null` is refused
    drop_null(&mut value);
    let Value::Object(generated) = value else {
        return Value::Null;
    };
    // the identifying keys first, then the rest as generated
    let mut out = Map::new();
    for key in ["$schema", "title", "description"] {
        if let Some(v) = generated.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (k, v) in generated {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
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
