//! Every operation of `spec/`: its example's parameters, a success and a
//! failure for each listed code (and an event, for subscriptions) validate
//! against its generated schemas. (The rustdoc example of each request type
//! decodes the same messages into the generated types.)

use serde_json::{Value, json};

fn schema(api: &str, name: &str, kind: &str) -> jsonschema::Validator {
    let path = crate::root().join(format!(
        "generated-sdk/schemas/{api}/{name}.{kind}.schema.json"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value = serde_json::from_str(&text).expect("JSON");
    jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors_of(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_example_validates_against_its_schemas() {
    let ir = crate::project_ir();
    let mut checked = 0;
    let mut problems = Vec::new();
    for module in &ir.modules {
        for op in &module.operations {
            let parameters = schema(&module.api, &op.name, "parameters");
            let messages = schema(&module.api, &op.name, "message");
            let ex = op.examples.first().expect("every operation has an example");
            let mut check = |what: String, v: &jsonschema::Validator, instance: Value| {
                let errors = errors_of(v, &instance);
                if !errors.is_empty() {
                    problems.push(format!(
                        "{} {}: {what}: {errors:?}\n  {instance}",
                        module.api, op.name
                    ));
                }
            };
            check("parameters".into(), &parameters, ex.parameters.clone());
            let result = match &ex.outcome {
                pims_codegen::ir::Outcome::Succeeded(r) => r.clone(),
                pims_codegen::ir::Outcome::Failed(_) => Value::Null,
            };
            if op.result.is_some() || !result.is_null() {
                check(
                    "success".into(),
                    &messages,
                    json!({"transactionId": "t", "status": "SUCCEEDED", "result": result}),
                );
            } else {
                check(
                    "success".into(),
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
            if let Some(event) = ex.events.first() {
                check(
                    "event".into(),
                    &messages,
                    json!({"transactionId": "t", "status": "RESULT", "result": event}),
                );
            }
            // and what the schema must refuse
            let mut wrong = ex.parameters.clone();
            if let Some(obj) = wrong.as_object_mut() {
                obj.insert("notAParameter".into(), json!(1));
            }
            if parameters.is_valid(&wrong) {
                problems.push(format!(
                    "{} {}: an unknown parameter is accepted",
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
