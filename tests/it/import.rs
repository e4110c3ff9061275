//! `pims-codegen import`: messy reference data to a spec that checks, every
//! repair reported with its line.

use std::path::Path;

fn imported_analysis(imported: &pims_codegen::import::Imported) -> pims_codegen::Analysis {
    let files = imported
        .files
        .iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect();
    pims_codegen::analyze_files(Path::new("spec"), files)
}

fn no_errors(analysis: &pims_codegen::Analysis, what: &str) {
    if analysis.diagnostics.has_errors() {
        let list = analysis.diagnostics.clone().sorted(&analysis.sources);
        panic!(
            "{what} does not check:\n{}",
            pims_codegen::diag::render(&list, &analysis.sources, pims_codegen::diag::Format::Human)
        );
    }
}

#[test]
fn messy_data_becomes_a_spec_that_checks() {
    let path = crate::root().join("tests/fixtures/import/messy.yml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let imported = pims_codegen::import::import_text("messy.yml", &text).expect("imports");
    let analysis = imported_analysis(&imported);
    no_errors(&analysis, "the import of messy.yml");
    insta::assert_snapshot!(
        "messy_report",
        pims_codegen::import::report("messy.yml", &imported.warnings)
    );
    let mut spec = String::new();
    for (path, text) in &imported.files {
        spec.push_str(&format!("==> {} <==\n{text}\n", path.display()));
    }
    insta::assert_snapshot!("messy_spec", spec);
    // what the issue names, checked on the output itself
    let door = &imported.files[Path::new("garage/door.yaml")];
    assert!(
        door.contains("example: \"0612345678\""),
        "the unquoted scalar keeps its text"
    );
    assert!(
        door.contains("selector:\n      action: open"),
        "the discriminator is a selector"
    );
    assert!(
        door.contains("type: Point"),
        "the shared object is a named type"
    );
    assert!(
        door.contains("who:\n        type: object"),
        "the dotted name is nested"
    );
    assert!(
        door.contains("name: stateFca"),
        "the FCA twin gets its own name"
    );
    let ir = analysis.ir().cloned().expect("lowered");
    pims_codegen::sdk_files(&ir, &crate::settings("spec"), "test").expect("generates");
}

#[test]
fn the_import_is_deterministic() {
    let path = crate::root().join("tests/fixtures/import/messy.yml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let a = pims_codegen::import::import_text("messy.yml", &text).expect("imports");
    let b = pims_codegen::import::import_text("messy.yml", &text).expect("imports");
    assert_eq!(a.files, b.files);
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn broken_data_is_an_error_not_a_panic() {
    for text in [
        "",
        "apis: [",
        "- just\n- a list\n",
        "apis:\n  - 42\n  - apiName: 7\n",
    ] {
        match pims_codegen::import::import_text("x.yml", text) {
            Err(d) => assert!(!d.message.is_empty()),
            Ok(imported) => {
                let analysis = imported_analysis(&imported);
                assert!(!imported.warnings.is_empty() || !analysis.diagnostics.has_errors());
            }
        }
    }
}

/// The SDK's own reference data, when `../shared` is here: both releases
/// import to specs that check and generate; the reports are snapshotted.
#[test]
fn the_reference_data_imports() {
    let Some(shared) = crate::shared_or_skip("the_reference_data_imports") else {
        return;
    };
    for name in ["mobile-sdk-v2-0.yml", "mobile-sdk-v2-3.yml"] {
        let text = std::fs::read_to_string(shared.join("sdk-data").join(name)).expect("data");
        let imported = pims_codegen::import::import_text(name, &text).expect("imports");
        let analysis = imported_analysis(&imported);
        no_errors(&analysis, name);
        let ir = analysis.ir().cloned().expect("lowered");
        pims_codegen::sdk_files(&ir, &crate::settings("spec"), "test").expect("generates");
        insta::assert_snapshot!(
            format!("report_{name}"),
            pims_codegen::import::report(name, &imported.warnings)
        );
    }
}

/// Facts carry over from the reference data; sentences do not: no description
/// of `spec/` repeats one of the data's.
#[test]
fn spec_descriptions_are_our_own_words() {
    let Some(shared) = crate::shared_or_skip("spec_descriptions_are_our_own_words") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("sdk-data/mobile-sdk-v2-3.yml")).expect("data");
    let data = pims_codegen::yaml::parse(Default::default(), &text)
        .expect("parses")
        .to_json();
    let mut theirs = std::collections::BTreeSet::new();
    sentences_of(&data, &mut theirs);
    let spec = crate::root().join("spec");
    let mut copied = Vec::new();
    for file in yaml_files(&spec) {
        let text = std::fs::read_to_string(&file).expect("spec file");
        let doc = pims_codegen::yaml::parse(Default::default(), &text)
            .expect("parses")
            .to_json();
        let mut ours = std::collections::BTreeSet::new();
        sentences_of(&doc, &mut ours);
        for s in ours.intersection(&theirs) {
            copied.push(format!("{}: {s}", file.display()));
        }
    }
    assert!(
        copied.is_empty(),
        "descriptions copied from the data:\n{}",
        copied.join("\n")
    );
}

/// Sentences of four words or more in `description` values, normalised.
fn sentences_of(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "description"
                    && let Some(text) = v.as_str()
                {
                    for part in text.split(['.', '!', '?', '\n']) {
                        let words: Vec<String> = part
                            .split(|c: char| !c.is_alphanumeric())
                            .filter(|w| !w.is_empty())
                            .map(str::to_lowercase)
                            .collect();
                        if words.len() >= 4 {
                            out.insert(words.join(" "));
                        }
                    }
                }
                sentences_of(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| sentences_of(v, out)),
        _ => {}
    }
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every operation of the 2.3 reference data has its counterpart in the
/// curated `spec/`: same api, verb and selector, on the same platforms (a
/// curated operation may cover more, where twins were merged).
#[test]
fn spec_covers_every_operation_of_the_reference_data() {
    let Some(shared) = crate::shared_or_skip("spec_covers_every_operation_of_the_reference_data")
    else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("sdk-data/mobile-sdk-v2-3.yml")).expect("data");
    let imported =
        pims_codegen::import::import_text("mobile-sdk-v2-3.yml", &text).expect("imports");
    let data = imported_analysis(&imported)
        .ir()
        .cloned()
        .expect("the import lowers");
    let spec = crate::project_ir();
    let calls = |ir: &pims_codegen::ir::Ir| -> Vec<(String, String, String, Vec<String>)> {
        ir.modules
            .iter()
            .flat_map(|m| {
                m.operations.iter().map(move |op| {
                    let selector: Vec<String> = op
                        .selector
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    (
                        m.api.clone(),
                        op.verb.as_str().to_owned(),
                        selector.join("&"),
                        op.compatibility.clone(),
                    )
                })
            })
            .collect()
    };
    let ours = calls(&spec);
    let mut missing = Vec::new();
    for (api, verb, selector, platforms) in calls(&data) {
        let found = ours.iter().any(|(a, v, s, p)| {
            *a == api && *v == verb && *s == selector && platforms.iter().all(|x| p.contains(x))
        });
        if !found {
            missing.push(format!("{verb} {api} [{selector}] on {platforms:?}"));
        }
    }
    assert!(missing.is_empty(), "not in spec/:\n{}", missing.join("\n"));
    assert!(ours.len() >= 125);
}
