//! Every generated JSON Schema compiles under the Rust `jsonschema` crate made
//! strict (formats asserted, unknown formats refused), carries its operation's
//! documented examples, and they validate. For every operation of `spec/`:
//! its examples' parameters, a success and a failure for each listed code
//! (and an event, for subscriptions) validate against its schemas. (The
//! rustdoc example of each request type decodes the same messages into the
//! generated types; `.ci/schemas/run.sh` runs ajv and Python `jsonschema` over
//! the same files.)

use std::path::{Path, PathBuf};

use pims_codegen::emit::schema::{FORMATS, TRANSACTION_ID};
use pims_codegen::ir::Outcome;
use serde_json::{Value, json};

use crate::strict;

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(api: &str, name: &str, kind: &str) -> (jsonschema::Validator, Value) {
    let path = crate::root().join(format!(
        "generated-sdk/schemas/{api}/{name}.{kind}.schema.json"
    ));
    let value = read(&path);
    let validator = strict(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (validator, value)
}

fn errors_of(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Every `format` in `value`.
fn formats(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(f)) = map.get("format") {
                out.push(f.clone());
            }
            map.values().for_each(|v| formats(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| formats(v, out)),
        _ => {}
    }
}

/// The problems of one schema: it does not compile strictly, uses a format
/// outside the standard set, has no examples, or an example does not validate.
fn problems_of(name: &str, schema: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let validator = match strict(schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let mut found = Vec::new();
    formats(schema, &mut found);
    for f in found {
        if !FORMATS.contains(&f.as_str()) {
            problems.push(format!("{name}: format `{f}` is not a standard one"));
        }
    }
    match schema["examples"].as_array() {
        Some(examples) if !examples.is_empty() => {
            for (i, example) in examples.iter().enumerate() {
                for e in errors_of(&validator, example) {
                    problems.push(format!("{name}: examples[{i}]: {e}"));
                }
            }
        }
        _ => problems.push(format!("{name}: no examples")),
    }
    problems
}

fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            schema_files(&path, out);
        } else if path.to_string_lossy().ends_with(".schema.json") {
            out.push(path);
        }
    }
}

#[test]
fn the_strict_validator_refuses_what_strict_ajv_refuses() {
    let draft = "https://json-schema.org/draft/2020-12/schema";
    for format in ["phone", "language", "uint64", "double"] {
        let schema = json!({ "$schema": draft, "type": "string", "format": format });
        assert!(strict(&schema).is_err(), "format `{format}` was accepted");
    }
    for format in FORMATS {
        let schema = json!({ "$schema": draft, "type": "string", "format": format });
        assert!(
            strict(&schema).is_ok(),
            "standard format `{format}` refused"
        );
    }
    let date_time = strict(&json!({ "type": "string", "format": "date-time" })).expect("valid");
    assert!(date_time.is_valid(&json!("2024-05-02T08:15:00Z")));
    assert!(
        !date_time.is_valid(&json!("yesterday")),
        "formats are asserted"
    );
}

#[test]
fn every_generated_schema_is_strictly_valid_and_its_examples_validate() {
    let mut files = Vec::new();
    schema_files(&crate::root().join("generated-sdk/schemas"), &mut files);
    assert!(files.len() >= 252, "{} schemas", files.len());
    let mut problems = Vec::new();
    for file in &files {
        problems.extend(problems_of(&file.display().to_string(), &read(file)));
    }
    // and those of a crate generated from the spec written from the docs
    let good = pims_codegen::analyze(&crate::root().join("tests/specs/good"))
        .into_ir()
        .unwrap_or_else(|a| panic!("{}", a.render(pims_codegen::diag::Format::Human)));
    let files =
        pims_codegen::emit::sdk_files(&good, &crate::settings("good"), "test").expect("generates");
    let mut good_schemas = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("schemas")) {
        let value: Value = serde_json::from_str(text).expect("JSON");
        problems.extend(problems_of(&format!("good: {}", path.display()), &value));
        good_schemas += 1;
    }
    assert!(
        good_schemas >= 10,
        "{good_schemas} schemas from tests/specs/good"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_format_no_validator_knows_is_said_in_the_description() {
    let (_, value) = schema(
        "pims.authentication.smscode",
        "phoneNumberCertification",
        "parameters",
    );
    let phone = &value["properties"]["phoneNumber"];
    assert_eq!(phone.get("format"), None, "{phone}");
    assert_eq!(
        phone["description"],
        "The phone number to certify, digits only, with an optional leading `+`. Format: `phone`."
    );
    assert_eq!(phone["pattern"], "^\\+?[0-9]{6,15}$", "constraints stay");
    let (_, value) = schema("pims.authentication.user", "createAccountFca", "parameters");
    assert_eq!(
        value["properties"]["local"]["description"],
        "The user's preferred language. Format: `language`."
    );
    // a standard format stays a format
    let (_, value) = schema("pims.vehicle.trips", "listTrips", "parameters");
    assert_eq!(value["properties"]["from"]["format"], "date-time");
}

#[test]
fn every_example_validates_against_its_schemas() {
    let ir = crate::project_ir();
    let mut checked = 0;
    let mut problems = Vec::new();
    for module in &ir.modules {
        for op in &module.operations {
            let (parameters, parameters_file) = schema(&module.api, &op.name, "parameters");
            let (messages, messages_file) = schema(&module.api, &op.name, "message");
            let documented = |file: &Value, instance: &Value| {
                file["examples"]
                    .as_array()
                    .is_some_and(|examples| examples.contains(instance))
            };
            let mut check = |what: String, v: &jsonschema::Validator, instance: Value| {
                let errors = errors_of(v, &instance);
                if !errors.is_empty() {
                    problems.push(format!(
                        "{} {}: {what}: {errors:?}\n  {instance}",
                        module.api, op.name
                    ));
                }
            };
            assert!(!op.examples.is_empty(), "{} {}", module.api, op.name);
            for ex in &op.examples {
                check("parameters".into(), &parameters, ex.parameters.clone());
                assert!(
                    documented(&parameters_file, &ex.parameters),
                    "{} {}: the parameters schema's examples lack {}",
                    module.api,
                    op.name,
                    ex.parameters
                );
                let answer = match &ex.outcome {
                    Outcome::Succeeded(result) => {
                        json!({"transactionId": TRANSACTION_ID, "status": "SUCCEEDED", "result": result})
                    }
                    Outcome::Failed(code) => {
                        let label = &ir.error(*code).expect("in the catalogue").label;
                        json!({"transactionId": TRANSACTION_ID, "status": "FAILED", "error": {"code": code, "label": label}})
                    }
                };
                check("answer".into(), &messages, answer.clone());
                assert!(
                    documented(&messages_file, &answer),
                    "{} {}: the message schema's examples lack {answer}",
                    module.api,
                    op.name
                );
                for event in &ex.events {
                    let event = json!({"transactionId": TRANSACTION_ID, "status": "RESULT", "result": event});
                    check("event".into(), &messages, event.clone());
                    assert!(
                        documented(&messages_file, &event),
                        "{} {}: the message schema's examples lack {event}",
                        module.api,
                        op.name
                    );
                }
            }
            let failures = messages_file["examples"]
                .as_array()
                .map_or(0, |e| e.iter().filter(|m| m["status"] == "FAILED").count());
            assert!(
                op.errors.is_empty() || failures > 0,
                "{} {}: no failure among the message schema's examples",
                module.api,
                op.name
            );
            if op.result.is_none() {
                check(
                    "success without data".into(),
                    &messages,
                    json!({"transactionId": "t", "status": "SUCCEEDED", "result": null}),
                );
            }
            for code in &op.errors {
                let label = &ir.error(*code).expect("in the catalogue").label;
                check(
                    format!("failure {code}"),
                    &messages,
                    json!({"transactionId": "t", "status": "FAILED", "error": {"code": code, "label": label}}),
                );
            }
            // and what the schemas must refuse
            let mut wrong = op.examples[0].parameters.clone();
            if let Some(obj) = wrong.as_object_mut() {
                obj.insert("notAParameter".into(), json!(1));
            }
            if parameters.is_valid(&wrong) {
                problems.push(format!(
                    "{} {}: an unknown parameter is accepted",
                    module.api, op.name
                ));
            }
            let unlisted = json!({"transactionId": "t", "status": "FAILED", "error": {"code": 1, "label": "x"}});
            if messages.is_valid(&unlisted) {
                problems.push(format!(
                    "{} {}: an unlisted error code is accepted",
                    module.api, op.name
                ));
            }
            checked += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked >= 126, "{checked} operations checked");
}
