//! One test binary, a module per topic (faster to build than one per file).

mod book;
mod conformance;
mod diagnostics;
mod drift;
mod examples;
mod hostile;
mod import;
mod macro_expansion;
mod meta_schema;
mod mobile;
mod runtime;
mod seed;
mod snapshots;

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
