//! Snapshots of what is generated from `tests/specs/good`, read and reviewed
//! like code. What is generated from `spec/` is not snapshotted: it is checked
//! in (`generated-sdk/`, `docs/reference/`), reviewed in its diff, and kept in
//! step by the drift test, one source of truth. The generated code itself is
//! compiled with warnings denied as the `pims-sdk` crate (and through the
//! macro, in `macro_expansion`).

/// The spec written from `docs/spec-format.md` alone: every Rust file, and the
/// schemas of a subscription and of a bare-array result.
#[test]
fn spec_written_from_the_docs() {
    let dir = crate::root().join("tests/specs/good");
    let analysis = pims_codegen::analyze(&dir);
    let ir = analysis.ir().cloned().expect("tests/specs/good checks");
    assert!(!analysis.diagnostics.has_errors());
    let files = pims_codegen::sdk_files(
        &ir,
        &crate::settings("tests/specs/good"),
        "pims-codegen generate",
    )
    .expect("generates");
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
