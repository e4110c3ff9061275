//! Embeds the runtime's sources (and the bad-spec cases, for `explain`), so that `pims-codegen generate` can write
//! them beside a generated crate (the crate then builds anywhere, with no
//! published runtime and no path to this checkout).

use std::path::{Path, PathBuf};

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("runtime/src is next to codegen/")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(root).expect("below").to_path_buf());
        }
    }
}

/// The crate's folder, as cargo gives it to the build script when it runs
/// (`env!` would freeze the path of the checkout that compiled the script,
/// which a target folder copied from another checkout keeps).
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

fn main() {
    let dir = manifest_dir().join("../runtime/src");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    walk(&dir, &dir, &mut files);
    let mut out = String::from(
        "/// The runtime's sources: `(path below src/, text)`, by path.\npub const RUNTIME_SOURCES: &[(&str, &str)] = &[\n",
    );
    for rel in &files {
        let path = dir.join(rel);
        println!("cargo::rerun-if-changed={}", path.display());
        let shown = rel.to_string_lossy().replace('\\', "/");
        out.push_str(&format!(
            "    ({shown:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("runtime_sources.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
    bad_cases();
}

/// Embeds `tests/specs/bad/*.yaml` (one failing case per rule, each with its
/// fix) and the manifest they are checked with, for `pims-codegen explain`:
/// its examples are the tested ones, so they stay true.
fn bad_cases() {
    let root = manifest_dir().join("..");
    let dir = root.join("tests/specs/bad");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/specs/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    let mut out = String::from(
        "/// The bad-spec cases: `(rule slug, text)`, by slug.\npub const CASES: &[(&str, &str)] = &[\n",
    );
    for path in &names {
        println!("cargo::rerun-if-changed={}", path.display());
        let stem = path.file_stem().expect("a name").to_string_lossy();
        let slug = stem.trim_start_matches("warn-");
        out.push_str(&format!(
            "    ({slug:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let manifest = root.join("spec/pims.yaml");
    println!("cargo::rerun-if-changed={}", manifest.display());
    out.push_str(&format!(
        "/// The manifest the cases are checked with.\npub const MANIFEST: &str = include_str!({:?});\n",
        manifest.display().to_string()
    ));
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("bad_cases.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
