//! The meta-schemas (derived from the spec model, one per kind of spec file)
//! accept the project's spec, refuse shapes the loader refuses, report a
//! misspelt key against the right kind of file, name exactly the keys the
//! loader reads, and compile under the strict Rust validator.

use std::path::{Path, PathBuf};

use jsonschema::error::ValidationErrorKind;
use pims_codegen::spec::{FileKind, decode, meta_schema};
use serde_json::{Value, json};

fn validator(kind: FileKind) -> jsonschema::Validator {
    crate::strict(&meta_schema(kind))
        .unwrap_or_else(|e| panic!("the {} meta-schema: {e}", kind.as_str()))
}

fn as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable");
    pims_codegen::yaml::parse(Default::default(), &text)
        .expect("YAML")
        .to_json()
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// The kind of a spec file, as the loader decides it.
fn kind_of(path: &Path) -> FileKind {
    if path.file_name().is_some_and(|n| n == "pims.yaml") {
        FileKind::Manifest
    } else {
        FileKind::Api
    }
}

#[test]
fn every_spec_file_validates_against_its_kinds_meta_schema() {
    let manifest = validator(FileKind::Manifest);
    let api = validator(FileKind::Api);
    let mut files = Vec::new();
    spec_files(&crate::root().join("spec"), &mut files);
    spec_files(&crate::root().join("tests/specs/good"), &mut files);
    assert!(files.len() >= 50, "{} files", files.len());
    let mut manifests = 0;
    for file in files {
        let kind = kind_of(&file);
        let (own, other) = match kind {
            FileKind::Manifest => (&manifest, &api),
            FileKind::Api => (&api, &manifest),
        };
        let doc = as_json(&file);
        let errors: Vec<String> = own
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        assert!(
            !other.is_valid(&doc),
            "{}: the other kind's meta-schema accepts it",
            file.display()
        );
        manifests += usize::from(kind == FileKind::Manifest);
    }
    assert_eq!(
        manifests, 2,
        "spec/pims.yaml and tests/specs/good/pims.yaml"
    );
}

#[test]
fn every_spec_file_names_its_kinds_meta_schema() {
    let schema_dir = crate::root().join("spec/schema");
    let mut files = Vec::new();
    spec_files(&crate::root().join("spec"), &mut files);
    spec_files(&crate::root().join("tests/specs/good"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let first = text.lines().next().unwrap_or_default();
        let Some(target) = first.strip_prefix("# yaml-language-server: $schema=") else {
            // the good spec's manifest opens with what the fixture is; every
            // other file names its schema
            assert!(
                file.ends_with("tests/specs/good/pims.yaml"),
                "{}: no `$schema` line",
                file.display()
            );
            continue;
        };
        let resolved = file
            .parent()
            .expect("in a folder")
            .join(target)
            .canonicalize()
            .unwrap_or_else(|e| panic!("{}: {target}: {e}", file.display()));
        let expected = schema_dir.join(kind_of(&file).file_name());
        assert_eq!(
            resolved,
            expected.canonicalize().expect("checked in"),
            "{}",
            file.display()
        );
    }
}

/// An error of a validation: where, the unexpected keys if that is what it
/// reports, and its message.
#[derive(Debug)]
struct Found {
    path: String,
    unexpected: Option<Vec<String>>,
    message: String,
}

/// The errors of `doc` against the meta-schema of `kind`.
fn errors(kind: FileKind, doc: &Value) -> Vec<Found> {
    let meta = meta_schema(kind);
    let v = crate::strict(&meta).expect("valid");
    v.iter_errors(doc)
        .map(|e| Found {
            path: e.instance_path().to_string(),
            unexpected: match e.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    Some(unexpected.clone())
                }
                _ => None,
            },
            message: e.to_string(),
        })
        .collect()
}

/// The unexpected keys reported at `at`.
fn unexpected(errors: &[Found], at: &str) -> Vec<String> {
    errors
        .iter()
        .filter(|f| f.path == at)
        .filter_map(|f| f.unexpected.clone())
        .flatten()
        .collect()
}

#[test]
fn a_misspelt_key_is_reported_against_its_own_kind_of_file() {
    // an api file: the key is an unknown property of the api file, the only error
    let api = json!({
        "api": "pims.a.b",
        "component": "C",
        "descripton": "misspelt",
        "operations": [{"name": "x", "verb": "get", "since": "2.0"}]
    });
    let found = errors(FileKind::Api, &api);
    assert_eq!(unexpected(&found, ""), ["descripton"], "{found:?}");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].message.contains("'descripton' was unexpected"),
        "{found:?}"
    );
    // deeper: in an operation
    let mut op = api.clone();
    op.as_object_mut().expect("object").remove("descripton");
    op["operations"][0]["sinse"] = json!("2.0");
    let found = errors(FileKind::Api, &op);
    assert_eq!(unexpected(&found, "/operations/0"), ["sinse"], "{found:?}");
    // the manifest: the same, against the manifest
    let manifest = json!({
        "sdk": {"name": "S", "version": "2.0"},
        "componets": {}
    });
    let found = errors(FileKind::Manifest, &manifest);
    assert_eq!(unexpected(&found, ""), ["componets"], "{found:?}");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn shapes_the_loader_refuses_the_meta_schema_refuses() {
    let validator = validator(FileKind::Api);
    let base = json!({
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
            json!({"p": {"type": "string", "minimum": 1}}),
        ),
        ("/operations/0/parameters", json!({"p": {"required": true}})),
        ("/operations/0/parameters", json!({"p": {"type": "array"}})),
        (
            "/operations/0/parameters",
            json!({"p": {"type": "string", "min_length": -1}}),
        ),
        ("/operations/0/result", "nothing".into()),
        ("/description", Value::Null),
        ("/sdk", json!({"name": "S", "version": "2.0"})),
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

fn keys(schema: &Value, what: &str) -> Vec<String> {
    let mut v: Vec<String> = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{what} has properties"))
        .keys()
        .cloned()
        .collect();
    v.sort();
    v
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

#[test]
fn the_meta_schemas_name_the_keys_the_loader_reads() {
    let manifest = meta_schema(FileKind::Manifest);
    let api = meta_schema(FileKind::Api);
    assert_eq!(keys(&manifest, "manifest"), sorted(decode::MANIFEST_KEYS));
    assert_eq!(keys(&api, "api file"), sorted(decode::API_KEYS));
    for (meta, def, expected) in [
        (&manifest, "Sdk", decode::SDK_KEYS),
        (&manifest, "Security", decode::SECURITY_KEYS),
        (&manifest, "Component", decode::COMPONENT_KEYS),
        (&manifest, "ErrorDef", decode::ERROR_KEYS),
        (&api, "Operation", decode::OPERATION_KEYS),
        (&api, "Example", decode::EXAMPLE_KEYS),
    ] {
        assert_eq!(keys(&meta["$defs"][def], def), sorted(expected), "{def}");
    }
    // each kind of type: its own keys, the common ones, and a field's
    let field = &api["$defs"]["Field"]["oneOf"];
    for (i, (kind, kind_keys)) in decode::KIND_KEYS.iter().enumerate() {
        let mut expected: Vec<&str> = kind_keys.to_vec();
        expected.extend(decode::TYPE_KEYS);
        expected.extend(decode::FIELD_KEYS);
        assert_eq!(keys(&field[i], kind), sorted(&expected), "{kind}");
        assert_eq!(field[i]["properties"]["type"]["const"], *kind);
    }
}

#[test]
fn the_meta_schemas_carry_no_rust_formats() {
    for kind in FileKind::ALL {
        let text = meta_schema(kind).to_string();
        assert!(!text.contains("\"format\":\""), "{}: {text}", kind.as_str());
    }
    // what schemars said in `format` is still said by the type and its minimum
    let api = meta_schema(FileKind::Api);
    let min_length = &api["$defs"]["Field"]["oneOf"][0]["properties"]["min_length"];
    assert_eq!(min_length["type"], "integer", "{min_length}");
    assert_eq!(min_length["minimum"], 0, "{min_length}");
}

#[test]
fn the_checked_in_meta_schemas_are_current() {
    for kind in FileKind::ALL {
        let file = crate::root().join("spec/schema").join(kind.file_name());
        let on_disk: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("checked in"))
                .expect("JSON");
        let mut expected = meta_schema(kind);
        expected
            .as_object_mut()
            .expect("object")
            .insert("$comment".into(), on_disk["$comment"].clone());
        assert_eq!(on_disk, expected, "{}", file.display());
    }
    assert!(
        !crate::root()
            .join("spec/schema/pims-spec.schema.json")
            .exists(),
        "the combined meta-schema of before is gone"
    );
}
