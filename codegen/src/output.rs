//! Writing generated files, and checking them for drift.
//!
//! - A file is written only when its bytes change, through a temporary file
//!   renamed into place, so a reader never sees half a file.
//! - A file that exists without the `@generated` marker is hand-written: it is
//!   never overwritten, and nothing is written when one is in the way.
//! - In the folders the generator owns, generated files that are no longer
//!   produced are removed.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::emit::{Files, MARKER};
use crate::source::display_path;

/// What went wrong while writing.
#[derive(Debug)]
pub enum WriteError {
    /// A hand-written file is where a generated one should go.
    HandWritten(PathBuf),
    /// The file system refused.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::HandWritten(p) => write!(
                f,
                "{} exists and has no `{MARKER}` header: it is not overwritten (move it away, or delete it if it is an old generated file)",
                display_path(p)
            ),
            WriteError::Io(p, e) => write!(f, "{}: {e}", display_path(p)),
        }
    }
}

impl std::error::Error for WriteError {}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files created or changed.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Stale generated files removed.
    pub removed: Vec<PathBuf>,
}

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// It does not exist.
    Missing(PathBuf),
    /// Its bytes differ.
    Changed(PathBuf),
    /// It was generated, but no longer would be.
    Stale(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {}", display_path(p)),
            Drift::Changed(p) => write!(f, "out of date: {}", display_path(p)),
            Drift::Stale(p) => write!(f, "no longer generated: {}", display_path(p)),
        }
    }
}

/// Whether `text` carries the generated marker in its first lines.
pub fn is_generated(text: &str) -> bool {
    text.lines().take(3).any(|l| l.contains(MARKER))
}

fn read_head(path: &Path) -> std::io::Result<Option<String>> {
    use std::io::Read as _;
    match std::fs::File::open(path) {
        Ok(file) => {
            let mut head = Vec::with_capacity(512);
            file.take(512).read_to_end(&mut head)?;
            Ok(Some(String::from_utf8_lossy(&head).into_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Generated files found under `root/dir` (recursively; `target` and hidden folders skipped).
fn generated_under(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), WriteError> {
    let full = root.join(dir);
    let entries = match std::fs::read_dir(&full) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(WriteError::Io(full, e)),
    };
    let mut entries: Vec<_> = entries
        .collect::<Result<_, _>>()
        .map_err(|e| WriteError::Io(full.clone(), e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let rel = dir.join(&name);
        let file_type = entry
            .file_type()
            .map_err(|e| WriteError::Io(root.join(&rel), e))?;
        if file_type.is_dir() {
            let n = name.to_string_lossy();
            if n != "target" && !n.starts_with('.') {
                generated_under(root, &rel, out)?;
            }
        } else if file_type.is_file() {
            let head =
                read_head(&root.join(&rel)).map_err(|e| WriteError::Io(root.join(&rel), e))?;
            if head.is_some_and(|h| is_generated(&h)) {
                out.push(rel);
            }
        }
    }
    Ok(())
}

/// Compares `files` (relative to `root`) with the disk; `owned` are the
/// folders where any generated file not in `files` is stale.
pub fn drift(root: &Path, files: &Files, owned: &[&Path]) -> Result<Vec<Drift>, WriteError> {
    let mut out = Vec::new();
    for (rel, text) in files {
        let path = root.join(rel);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => out.push(Drift::Changed(rel.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(Drift::Missing(rel.clone()))
            }
            Err(e) => return Err(WriteError::Io(path, e)),
        }
    }
    for dir in owned {
        let mut found = Vec::new();
        generated_under(root, dir, &mut found)?;
        out.extend(
            found
                .into_iter()
                .filter(|p| !files.contains_key(p))
                .map(Drift::Stale),
        );
    }
    Ok(out)
}

/// Writes `files` below `root`, then removes stale generated files in `owned`.
/// Nothing is written if a hand-written file is in the way.
pub fn write(root: &Path, files: &Files, owned: &[&Path]) -> Result<Report, WriteError> {
    // refuse up front, before anything changes
    for rel in files.keys() {
        let path = root.join(rel);
        if let Some(head) = read_head(&path).map_err(|e| WriteError::Io(path.clone(), e))?
            && !is_generated(&head)
        {
            return Err(WriteError::HandWritten(path));
        }
    }
    let mut stale = Vec::new();
    for dir in owned {
        generated_under(root, dir, &mut stale)?;
    }
    let mut report = Report::default();
    for (rel, text) in files {
        let path = root.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        write_atomic(&path, text.as_bytes()).map_err(|e| WriteError::Io(path.clone(), e))?;
        report.written.push(rel.clone());
    }
    for rel in stale.into_iter().filter(|p| !files.contains_key(p)) {
        let path = root.join(&rel);
        std::fs::remove_file(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
        remove_empty_parents(root, &rel);
        report.removed.push(rel);
    }
    Ok(report)
}

fn remove_empty_parents(root: &Path, rel: &Path) {
    let mut dir = rel.parent();
    while let Some(d) = dir {
        if d.as_os_str().is_empty() || std::fs::remove_dir(root.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes through a temporary file in the same folder, renamed into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect()
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned = [Path::new("gen")];
        let first = files(&[
            ("gen/a.rs", "// @generated\na"),
            ("gen/b.rs", "// @generated\nb"),
        ]);
        let r = write(root, &first, &owned).unwrap();
        assert_eq!(r.written.len(), 2);
        let second = files(&[
            ("gen/a.rs", "// @generated\na"),
            ("gen/c.rs", "// @generated\nc"),
        ]);
        let r = write(root, &second, &owned).unwrap();
        assert_eq!(r.unchanged, vec![PathBuf::from("gen/a.rs")]);
        assert_eq!(r.written, vec![PathBuf::from("gen/c.rs")]);
        assert_eq!(r.removed, vec![PathBuf::from("gen/b.rs")]);
        assert!(!root.join("gen/b.rs").exists());
        assert_eq!(drift(root, &second, &owned).unwrap(), vec![]);
    }

    #[test]
    fn never_overwrites_a_hand_written_file_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::write(root.join("gen/b.rs"), "hand written").unwrap();
        let f = files(&[
            ("gen/a.rs", "// @generated\na"),
            ("gen/b.rs", "// @generated\nb"),
        ]);
        let err = write(root, &f, &[Path::new("gen")]).unwrap_err();
        assert!(matches!(err, WriteError::HandWritten(_)), "{err}");
        assert!(!root.join("gen/a.rs").exists(), "nothing is written");
        assert_eq!(
            std::fs::read_to_string(root.join("gen/b.rs")).unwrap(),
            "hand written"
        );
    }

    #[test]
    fn hand_written_files_in_owned_folders_are_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::write(root.join("gen/notes.md"), "mine").unwrap();
        let f = files(&[("gen/a.rs", "// @generated\na")]);
        write(root, &f, &[Path::new("gen")]).unwrap();
        assert!(root.join("gen/notes.md").exists());
    }

    #[test]
    fn drift_names_missing_changed_and_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned = [Path::new("gen")];
        write(
            root,
            &files(&[
                ("gen/a.rs", "// @generated\na"),
                ("gen/s.rs", "// @generated\ns"),
            ]),
            &owned,
        )
        .unwrap();
        let want = files(&[
            ("gen/a.rs", "// @generated\nA"),
            ("gen/n.rs", "// @generated\nn"),
        ]);
        let d = drift(root, &want, &owned).unwrap();
        assert_eq!(
            d,
            vec![
                Drift::Changed("gen/a.rs".into()),
                Drift::Missing("gen/n.rs".into()),
                Drift::Stale("gen/s.rs".into())
            ]
        );
    }
}
