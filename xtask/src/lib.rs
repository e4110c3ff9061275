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
    "spec/schema",
    "generated-kotlin/src/main",
    "generated-swift/Sources",
];

/// The reference data of release 2.0, where a checkout has `../shared`: the
/// book's Changes page says what changed from it to `spec/`. It is read in
/// place, never copied (and the page repeats none of its sentences).
pub const BASELINE: &str = "../shared/sdk-data/mobile-sdk-v2-0.yml";

/// The page that needs [`BASELINE`]: without it, it is kept as checked in.
pub const CHANGES_PAGE: &str = "docs/reference/src/changes.md";

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
    /// The reference data of [`BASELINE`] could not be imported.
    Baseline(String),
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
            Error::Baseline(e) => format!("{BASELINE}: {e}\n"),
        }
    }
}

/// Every file generated from the spec at `root/spec`, by path from `root`:
/// the SDK, its schemas, the meta-schemas, the reference book, and the
/// Kotlin and Swift clients.
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
    files.extend(
        emit::meta_schema_files(COMMAND)
            .into_iter()
            .map(|(name, text)| (Path::new("spec/schema").join(name), text)),
    );
    let changes = baseline_changes(root, ir)?;
    match emit::book::book_files_with_changes(ir, settings, COMMAND, changes.as_ref()) {
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
    files.insert(
        PathBuf::from("codegen/src/emit/runtime.lock"),
        format!(
            "# {}\n{}",
            emit::header(COMMAND),
            runtime_lock(&self::root()).map_err(Error::Internal)?
        ),
    );
    if changes.is_none()
        && let Ok(kept) = std::fs::read_to_string(root.join(CHANGES_PAGE))
    {
        files.insert(PathBuf::from(CHANGES_PAGE), kept);
    }
    Ok(files)
}

/// The lockfile of a workspace that holds the runtime's copy alone, resolved
/// from this workspace's `Cargo.lock` (same versions, unused packages pruned)
/// by `cargo metadata --offline` in `target/xtask/runtime-lock`: what a
/// generated crate's first `Cargo.lock` is made of. `root` is this
/// workspace's (the lock is about the generator's build, not about a spec).
pub fn runtime_lock(root: &Path) -> Result<String, String> {
    let dir = root.join("target/xtask/runtime-lock");
    let _ = std::fs::remove_dir_all(&dir);
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    for (rel, text) in emit::runtime::files(COMMAND) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(io)?;
        std::fs::write(&path, text).map_err(io)?;
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"pims-runtime\"]\nresolver = \"3\"\n",
    )
    .map_err(io)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(io)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .stdout(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    std::fs::read_to_string(dir.join("Cargo.lock")).map_err(io)
}

/// [`BASELINE`], when this checkout has it.
pub fn baseline(root: &Path) -> Option<PathBuf> {
    let path = root.join(BASELINE);
    path.is_file().then_some(path)
}

/// What to say when the Changes page cannot be regenerated here.
pub fn changes_note(root: &Path) -> Option<String> {
    baseline(root).is_none().then(|| {
        format!(
            "note: {CHANGES_PAGE} is kept as checked in: {BASELINE} is not here (the page compares spec/ with it)"
        )
    })
}

/// The changes from the 2.0 reference data (imported in memory) to `ir`.
fn baseline_changes(
    root: &Path,
    ir: &pims_codegen::ir::Ir,
) -> Result<Option<pims_codegen::diff::Diff>, Error> {
    let Some(path) = baseline(root) else {
        return Ok(None);
    };
    let imported = pims_codegen::import::import_file(&path).map_err(Error::Baseline)?;
    let files = imported
        .files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    let old = pims_codegen::analyze_files(Path::new("mobile-sdk-v2-0"), files)
        .into_ir()
        .map_err(|a| {
            Error::Baseline(format!(
                "its import does not check:\n{}",
                a.render(pims_codegen::diag::Format::Human)
            ))
        })?;
    Ok(Some(pims_codegen::diff::compare(Some(&old), ir)))
}

/// The owned folders as paths.
pub fn owned() -> Vec<&'static Path> {
    OWNED.iter().map(Path::new).collect()
}
