//! The meta-schema (derived from the spec model) accepts the project's spec,
//! refuses shapes the loader refuses, and names exactly the keys the loader reads.

use pims_codegen::spec::decode;
use serde_json::Value;

fn meta() -> Value {
    pims_codegen::spec::meta_schema()
}

fn as_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable");
    pims_codegen::yaml::parse(Default::default(), &text)
        .expect("YAML")
        .to_json()
}

fn spec_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn every_spec_file_validates_against_the_meta_schema() {
    let validator = jsonschema::validator_for(&meta()).expect("a valid 2020-12 schema");
    let mut files = Vec::new();
    spec_files(&crate::root().join("spec"), &mut files);
    assert!(files.len() >= 5);
    for file in files {
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&file))
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

#[test]
fn shapes_the_loader_refuses_the_meta_schema_refuses() {
    let validator = jsonschema::validator_for(&meta()).expect("valid");
    let base = serde_json::json!({
        "api": "pims.a.b",
        "component": "C",
        "operations": [{"name": "x", "verb": "get", "since": "2.0"}]
    });
    assert!(validator.is_valid(&base));
    let mutations: Vec<(&str, Value)> = vec![
        ("/operations/0/requried", Value::Bool(true)),
        ("/operations/0/verb", "gett".into()),
        ("/operations/0/since", 2.0.into()),
        ("/operations/0/errors", 2001.into()),
        (
            "/operations/0/parameters",
            serde_json::json!({"p": {"type": "string", "minimum": 1}}),
        ),
        (
            "/operations/0/parameters",
            serde_json::json!({"p": {"required": true}}),
        ),
        (
            "/operations/0/parameters",
            serde_json::json!({"p": {"type": "array"}}),
        ),
        ("/operations/0/result", "nothing".into()),
        ("/description", Value::Null),
    ];
    for (pointer, value) in mutations {
        let mut doc = base.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        let target = if parent.is_empty() {
            &mut doc
        } else {
            doc.pointer_mut(parent).expect("parent")
        };
        target
            .as_object_mut()
            .expect("object")
            .insert(key.to_owned(), value.clone());
        assert!(
            !validator.is_valid(&doc),
            "{pointer} = {value} was accepted"
        );
    }
}

fn properties(meta: &Value, def: &str) -> Vec<String> {
    meta["$defs"][def]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{def} has properties"))
        .keys()
        .cloned()
        .collect()
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

#[test]
fn the_meta_schema_names_the_keys_the_loader_reads() {
    let meta = meta();
    for (def, keys) in [
        ("Manifest", decode::MANIFEST_KEYS),
        ("Sdk", decode::SDK_KEYS),
        ("Security", decode::SECURITY_KEYS),
        ("Component", decode::COMPONENT_KEYS),
        ("ErrorDef", decode::ERROR_KEYS),
        ("ApiFile", decode::API_KEYS),
        ("Operation", decode::OPERATION_KEYS),
        ("Example", decode::EXAMPLE_KEYS),
    ] {
        let mut found = properties(&meta, def);
        found.sort();
        assert_eq!(found, sorted(keys), "{def}");
    }
    // each kind of type: its own keys, the common ones, and a field's
    let field = &meta["$defs"]["Field"]["oneOf"];
    for (i, (kind, keys)) in decode::KIND_KEYS.iter().enumerate() {
        let mut found: Vec<String> = field[i]["properties"]
            .as_object()
            .expect("branch")
            .keys()
            .cloned()
            .collect();
        found.sort();
        let mut expected: Vec<&str> = keys.to_vec();
        expected.extend(decode::TYPE_KEYS);
        expected.extend(decode::FIELD_KEYS);
        assert_eq!(found, sorted(&expected), "{kind}");
        assert_eq!(field[i]["properties"]["type"]["const"], *kind);
    }
}

#[test]
fn the_checked_in_meta_schema_is_current() {
    let file = crate::root().join("spec/schema/pims-spec.schema.json");
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("checked in")).expect("JSON");
    let mut expected = meta();
    expected
        .as_object_mut()
        .expect("object")
        .insert("$comment".into(), on_disk["$comment"].clone());
    assert_eq!(on_disk, expected);
}
