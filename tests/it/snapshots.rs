//! Snapshots of what is generated, read and reviewed like code. The generated
//! code itself is compiled with warnings denied as the `pims-sdk` crate (and
//! through the macro, in `macro_expansion`).

use std::path::Path;

fn generated(path: &str) -> String {
    let files = xtask::files(&crate::root()).expect("spec/ checks");
    files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} is generated"))
        .clone()
}

#[test]
fn smscode_module() {
    insta::assert_snapshot!(generated(
        "generated-sdk/src/generated/authentication/smscode.rs"
    ));
}

#[test]
fn trusted_phone_number_module() {
    insta::assert_snapshot!(generated(
        "generated-sdk/src/generated/authentication/trustedphonenumber.rs"
    ));
}

#[test]
fn root_and_group_modules() {
    insta::assert_snapshot!(generated("generated-sdk/src/generated/mod.rs"));
    insta::assert_snapshot!(generated(
        "generated-sdk/src/generated/authentication/mod.rs"
    ));
}

#[test]
fn phone_number_certification_schemas() {
    insta::assert_snapshot!(generated(
        "generated-sdk/schemas/pims.authentication.smscode/phoneNumberCertification.parameters.schema.json"
    ));
    insta::assert_snapshot!(generated(
        "generated-sdk/schemas/pims.authentication.smscode/phoneNumberCertification.message.schema.json"
    ));
}

#[test]
fn validate_enrollment_code_schemas() {
    insta::assert_snapshot!(generated(
        "generated-sdk/schemas/pims.authentication.smscode/validateEnrollmentCode.message.schema.json"
    ));
}

/// The spec written from `docs/spec-format.md` alone: every Rust file, and the
/// schemas of a subscription and of a bare-array result.
#[test]
fn spec_written_from_the_docs() {
    let dir = crate::root().join("tests/specs/good");
    let analysis = pims_codegen::analyze_as(&dir, "tests/specs/good");
    let ir = analysis.ir.expect("tests/specs/good checks");
    assert!(!analysis.diagnostics.has_errors());
    let files = pims_codegen::sdk_files(&ir, "pims-codegen generate").expect("generates");
    let mut schemas = 0;
    for (path, text) in &files {
        let name = path.to_string_lossy().replace(['/', '\\'], "__");
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        let chosen_schema =
            name.contains("doorEvents.message") || name.contains("listSensors.message");
        if is_rust || chosen_schema {
            schemas += usize::from(chosen_schema);
            insta::assert_snapshot!(format!("good__{name}"), text);
        }
    }
    assert_eq!(schemas, 2, "the chosen schemas exist");
}
