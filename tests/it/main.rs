//! One test binary, a module per topic (faster to build than one per file).

mod book;
mod conformance;
mod diagnostics;
mod diff;
mod drift;
mod examples;
mod generated_api;
mod hostile;
mod import;
mod macro_expansion;
mod meta_schema;
mod mobile;
mod openapi;
mod runtime;
mod seed;
mod simulator;
mod snapshots;
mod untrusted;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// `../shared` next to the workspace, when this checkout has it.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    dir.is_dir().then_some(dir)
}

/// `../shared` for a test that needs it: when it is missing, the test says
/// it skipped, except under CI (`CI` set and not `false`), where a skip
/// would hide that the test never ran: it fails.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(dir) = shared() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{test}: ../shared (the SDK's reference data and seed page) is not next to the \
         workspace; under CI this test must run, not skip"
    );
    eprintln!("{test}: skipped, ../shared is not present");
    None
}

/// The project's spec, analysed; panics with the diagnostics if it has errors.
pub fn project_ir() -> pims_codegen::ir::Ir {
    pims_codegen::analyze(&root().join("spec"))
        .into_ir()
        .unwrap_or_else(|analysis| {
            panic!(
                "spec/ has errors:\n{}",
                analysis.render(pims_codegen::diag::Format::Human)
            )
        })
}

/// The Rust `jsonschema` validator at its strictest, as the schema tests use
/// it: formats are assertions, and a format it does not know is an error
/// rather than ignored (as strict ajv has it).
pub fn strict(schema: &serde_json::Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .build(schema)
        .map_err(|e| format!("{e} at {}", e.schema_path()))
}

/// How the tests show spec folders in generated files.
pub fn settings(shown: &str) -> pims_codegen::emit::Settings {
    pims_codegen::emit::Settings::new(shown)
}

/// Runs a future that completes without waiting (the fake facades answer at once).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the future did not complete")
}
