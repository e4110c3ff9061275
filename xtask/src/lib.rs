//! What the project generates from `spec/`, shared by `cargo xtask codegen`
//! and the test that fails on drift.

use std::path::{Path, PathBuf};

use pims_codegen::Analysis;
use pims_codegen::emit::{self, Files};

/// The command that regenerates, as every generated file's header names it.
pub const COMMAND: &str = "cargo xtask codegen";

/// The folders the generator owns: generated files found there and no longer
/// produced are removed.
pub const OWNED: &[&str] = &[
    "generated-sdk/src/generated",
    "generated-sdk/schemas",
    "docs/reference/src",
];

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Every file generated from the spec at `root/spec`, by path from `root`:
/// the SDK, its schemas, the meta-schema, and the reference book.
pub fn files(root: &Path) -> Result<Files, Box<Analysis>> {
    let analysis = pims_codegen::analyze_as(&root.join("spec"), "spec");
    let mut ir = match &analysis.ir {
        Some(ir) if !analysis.diagnostics.has_errors() => ir.clone(),
        _ => return Err(Box::new(analysis)),
    };
    ir.doc_crate = Some("pims_sdk".to_owned());
    let ir = &ir;
    let sdk = match emit::sdk_files(ir, COMMAND) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("internal error: {e}");
            return Err(Box::new(analysis));
        }
    };
    let mut files: Files = sdk
        .into_iter()
        .map(|(path, text)| (Path::new("generated-sdk").join(path), text))
        .collect();
    files.insert(
        PathBuf::from("spec/schema/pims-spec.schema.json"),
        emit::meta_schema_file(COMMAND),
    );
    match emit::book::book_files(ir, COMMAND) {
        Ok(book) => files.extend(
            book.into_iter()
                .map(|(path, text)| (Path::new("docs/reference").join(path), text)),
        ),
        Err(e) => {
            eprintln!("internal error: {e}");
            return Err(Box::new(analysis));
        }
    }
    Ok(files)
}

/// The owned folders as paths.
pub fn owned() -> Vec<&'static Path> {
    OWNED.iter().map(Path::new).collect()
}
