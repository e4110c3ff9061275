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
