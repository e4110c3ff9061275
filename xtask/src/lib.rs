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
    "generated-kotlin/src/main",
    "generated-swift/Sources",
];

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Why nothing could be generated.
#[derive(Debug)]
pub enum Error {
    /// `spec/` has errors: the analysis, with its diagnostics.
    Spec(Box<Analysis>),
    /// An emitter failed (a bug of the generator).
    Internal(String),
}

impl Error {
    /// The text to print for it.
    pub fn render(&self) -> String {
        match self {
            Error::Spec(analysis) => format!(
                "{}spec/ has errors: nothing generated\n",
                analysis.render(pims_codegen::diag::Format::Human)
            ),
            Error::Internal(e) => format!("internal error: {e}\n"),
        }
    }
}

/// Every file generated from the spec at `root/spec`, by path from `root`:
/// the SDK, its schemas, the meta-schema, the reference book, and the Kotlin
/// and Swift clients.
pub fn files(root: &Path) -> Result<Files, Error> {
    let ir = &pims_codegen::analyze(&root.join("spec"))
        .into_ir()
        .map_err(Error::Spec)?;
    let settings = &emit::Settings::new("spec").with_doc_crate("pims-sdk");
    let sdk = match emit::sdk_files(ir, settings, COMMAND) {
        Ok(files) => files,
        Err(e) => return Err(Error::Internal(e)),
    };
    let mut files: Files = sdk
        .into_iter()
        .map(|(path, text)| (Path::new("generated-sdk").join(path), text))
        .collect();
    files.insert(
        PathBuf::from("spec/schema/pims-spec.schema.json"),
        emit::meta_schema_file(COMMAND),
    );
    match emit::book::book_files(ir, settings, COMMAND) {
        Ok(book) => files.extend(
            book.into_iter()
                .map(|(path, text)| (Path::new("docs/reference").join(path), text)),
        ),
        Err(e) => return Err(Error::Internal(e)),
    }
    let mobile = [
        (
            "generated-kotlin",
            emit::kotlin::files(ir, settings, COMMAND, emit::kotlin::DEFAULT_PACKAGE),
        ),
        (
            "generated-swift",
            emit::swift::source_files(ir, settings, COMMAND, emit::swift::DEFAULT_PACKAGE),
        ),
    ];
    for (dir, generated) in mobile {
        let generated = generated.map_err(Error::Internal)?;
        files.extend(
            generated
                .into_iter()
                .map(|(path, text)| (Path::new(dir).join(path), text)),
        );
    }
    Ok(files)
}

/// The owned folders as paths.
pub fn owned() -> Vec<&'static Path> {
    OWNED.iter().map(Path::new).collect()
}
