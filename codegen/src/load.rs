//! Reads a spec folder: finds its files, reads them as UTF-8, parses and
//! decodes them. The only module of the front end that touches the file system.
//!
//! A spec folder is untrusted (docs/untrusted-input.md): only regular files
//! are read, opened without blocking and read to a bound; symlinked files
//! are read when they resolve inside the folder; symlinked folders are never
//! followed; depth and entry counts are bounded. Each refusal is an `E001`
//! diagnostic against the file or folder concerned.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Loc, Sources};
use crate::spec::{self, Spec};
use crate::yaml;

/// Largest spec file accepted.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The manifest's file name.
pub const MANIFEST: &str = "pims.yaml";

/// What loading a folder gave: the files read, the spec if it could be
/// decoded, and every problem met on the way.
#[derive(Debug)]
pub struct Loaded {
    /// Every file read, for diagnostics.
    pub sources: Sources,
    /// The decoded spec, when the manifest could be read.
    pub spec: Option<Spec>,
    /// The problems.
    pub diagnostics: Diagnostics,
}

/// Loads the spec folder at `dir`.
pub fn load_dir(dir: &Path) -> Loaded {
    load_dir_with(dir, &mut |p: &Path| std::fs::read_dir(p))
}

/// Lists a folder.
pub type Lister<'a> = dyn FnMut(&Path) -> std::io::Result<std::fs::ReadDir> + 'a;

/// [`load_dir`], listing folders with `list` (a seam for tests: an
/// unreadable folder, as a user whom no mode stops never sees one).
pub fn load_dir_with(dir: &Path, list: &mut Lister<'_>) -> Loaded {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut walk = Walk {
        root: dir,
        list,
        files: Vec::new(),
        problems: Vec::new(),
        entries: 0,
    };
    if let Err(e) = walk.folder(Path::new(""), 0) {
        let id = sources.add(dir.to_path_buf(), String::new());
        let mut d = Diagnostic::error(
            Code::Io,
            Loc::file(id),
            format!("cannot read the spec folder: {e}"),
        );
        // the hint fits a wrong path, not a folder this user may not read
        if matches!(
            e.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
        ) {
            d = d.help("pass the folder that holds pims.yaml");
        }
        diagnostics.push(d);
        return Loaded {
            sources,
            spec: None,
            diagnostics,
        };
    }
    let Walk {
        mut files,
        problems,
        ..
    } = walk;
    for problem in problems {
        let id = sources.add(dir.join(&problem.path), String::new());
        let mut d = Diagnostic::error(Code::Io, Loc::file(id), problem.message);
        if let Some(help) = problem.help {
            d = d.help(help);
        }
        diagnostics.push(d);
    }
    files.sort();
    // symlinked files are read when they resolve inside the spec folder
    let inside = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let inputs: Vec<(PathBuf, Result<Vec<u8>, String>)> = files
        .into_iter()
        .map(|rel| {
            let bytes = read_spec_file(&inside, &dir.join(&rel));
            (rel, bytes)
        })
        .collect();
    let spec = load_inputs(dir, inputs, &mut sources, &mut diagnostics);
    Loaded {
        sources,
        spec,
        diagnostics,
    }
}

/// Loads files given in memory: `(path relative to the spec folder, bytes)`.
/// Used by tests and by callers that do not read from disk.
pub fn load_files(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Loaded {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut files = files;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let inputs = files.into_iter().map(|(p, b)| (p, Ok(b))).collect();
    let spec = load_inputs(root, inputs, &mut sources, &mut diagnostics);
    Loaded {
        sources,
        spec,
        diagnostics,
    }
}

fn load_inputs(
    root: &Path,
    inputs: Vec<(PathBuf, Result<Vec<u8>, String>)>,
    sources: &mut Sources,
    d: &mut Diagnostics,
) -> Option<Spec> {
    let mut manifest = None;
    let mut apis = Vec::new();
    let mut manifest_seen = false;
    for (rel, bytes) in inputs {
        let shown = root.join(&rel);
        let text = match bytes {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    let valid = e.utf8_error().valid_up_to();
                    let bytes = e.into_bytes();
                    let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                    let lines: Vec<&str> = crate::source::lines(&prefix).collect();
                    let ends_a_line = prefix.ends_with(['\n', '\r']);
                    let line = (lines.len() + usize::from(ends_a_line)).max(1) as u32;
                    let col = if ends_a_line {
                        1
                    } else {
                        lines.last().map_or(0, |l| l.chars().count()) as u32 + 1
                    };
                    let id = sources.add(shown, prefix);
                    d.push(
                        Diagnostic::error(
                            Code::NotUtf8,
                            Loc {
                                file: id,
                                line,
                                col,
                            },
                            format!("the file is not UTF-8 (byte {} is invalid)", valid),
                        )
                        .expected("UTF-8 text")
                        .help("save the file as UTF-8"),
                    );
                    continue;
                }
            },
            Err(e) => {
                let id = sources.add(shown, String::new());
                d.push(Diagnostic::error(Code::Io, Loc::file(id), e));
                continue;
            }
        };
        let is_manifest = rel == Path::new(MANIFEST);
        let id: FileId = sources.add(shown, text);
        let text = sources.get(id).map(|s| s.text.as_str()).unwrap_or_default();
        let parsed = yaml::parse(id, text);
        for hidden in crate::check::text::hidden_characters(id, text, parsed.as_ref().ok()) {
            d.push(hidden);
        }
        let node = match parsed {
            Ok(node) => node,
            Err(diag) => {
                d.push(*diag);
                manifest_seen |= is_manifest;
                continue;
            }
        };
        if is_manifest {
            manifest_seen = true;
            manifest = spec::decode::manifest(&node, id, d);
        } else if let Some(mut api) = spec::decode::api_file(&node, id, d) {
            api.path = rel.clone();
            apis.push((rel, api));
        }
    }
    if !manifest_seen {
        let id = sources.add(root.join(MANIFEST), String::new());
        d.push(
            Diagnostic::error(
                Code::MissingManifest,
                Loc::file(id),
                format!(
                    "the spec folder {} has no {MANIFEST}",
                    crate::source::display_path(root)
                ),
            )
            .expected(format!("{MANIFEST} at the root of the spec folder"))
            .help("pass the folder that holds pims.yaml, or create it (see docs/spec-format.md)"),
        );
    }
    let manifest = manifest?;
    apis.sort_by(|a, b| {
        a.1.api
            .value
            .cmp(&b.1.api.value)
            .then_with(|| a.0.cmp(&b.0))
    });
    Some(Spec {
        manifest,
        apis: apis.into_iter().map(|(_, a)| a).collect(),
    })
}

/// Folders below the spec folder deeper than this are not read (and said so).
pub const MAX_DEPTH: usize = 16;

/// Entries (files and folders) looked at, at most, in one spec folder.
pub const MAX_ENTRIES: usize = 100_000;

/// Something found while walking the folder, reported against `path`.
#[derive(Debug)]
struct Problem {
    path: PathBuf,
    message: String,
    help: Option<String>,
}

/// Finds every `*.yaml` below a spec folder. Symlinks are never followed
/// into folders (so no loop can form); a symlinked `*.yaml` is a candidate
/// file, checked when it is read.
struct Walk<'a, 'b> {
    root: &'a Path,
    list: &'a mut Lister<'b>,
    files: Vec<PathBuf>,
    problems: Vec<Problem>,
    entries: usize,
}

impl Walk<'_, '_> {
    /// Walks `rel`; the error is that `rel` could not be listed at all.
    fn folder(&mut self, rel: &Path, depth: usize) -> std::io::Result<()> {
        for entry in (self.list)(&self.root.join(rel))? {
            let problem = |message: String| Problem {
                path: rel.to_path_buf(),
                message,
                help: None,
            };
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.problems
                        .push(problem(format!("cannot read the folder: {e}")));
                    return Ok(());
                }
            };
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                self.problems.push(problem(format!(
                    "the spec folder holds more than {MAX_ENTRIES} files and folders: the rest is not read"
                )));
                return Ok(());
            }
            let name = entry.file_name();
            let child = rel.join(&name);
            let hidden = name.to_string_lossy().starts_with('.');
            let is_yaml = Path::new(&name).extension().is_some_and(|e| e == "yaml");
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    self.problems.push(Problem {
                        path: child,
                        message: format!("cannot read the file: {e}"),
                        help: None,
                    });
                    continue;
                }
            };
            if file_type.is_dir() {
                if hidden {
                    continue;
                }
                if depth + 1 > MAX_DEPTH {
                    self.problems.push(Problem {
                        path: child,
                        message: format!(
                            "folders nest deeper than {MAX_DEPTH} levels below the spec folder: nothing here is read"
                        ),
                        help: Some("keep api files at most 16 folders deep".to_owned()),
                    });
                    continue;
                }
                if let Err(e) = self.folder(&child, depth + 1) {
                    self.problems.push(Problem {
                        path: child,
                        message: format!("cannot read the folder: {e}"),
                        help: None,
                    });
                }
            } else if is_yaml {
                self.files.push(child);
            } else if file_type.is_symlink()
                && !hidden
                && std::fs::metadata(self.root.join(&child)).is_ok_and(|m| m.is_dir())
            {
                self.problems.push(Problem {
                    path: child,
                    message: "this is a symlink to a folder".to_owned(),
                    help: Some(
                        "symlinked folders are not followed (a link could loop or lead out of the spec folder): move the folder in, or link its files one by one".to_owned(),
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Reads one spec file: a regular file (after symlinks, which must resolve
/// inside `inside`, the spec folder's real path), opened without blocking,
/// read to at most [`MAX_FILE_BYTES`] + 1 bytes whatever its metadata says.
fn read_spec_file(inside: &Path, path: &Path) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read the file: {e}");
    let real = std::fs::canonicalize(path).map_err(cannot)?;
    // the kind first, without opening: opening a device or a FIFO can block
    // or have effects of its own
    let meta = std::fs::metadata(&real).map_err(cannot)?;
    not_regular(&meta)?;
    if !real.starts_with(inside) {
        return Err(format!(
            "this is a symlink to a file outside the spec folder ({}): only files inside it are read",
            crate::source::display_path(&real)
        ));
    }
    let file = open_no_follow(&real).map_err(cannot)?;
    // the kind again, of what was opened: the path may have changed since
    not_regular(&file.metadata().map_err(cannot)?)?;
    read_bounded(file, MAX_FILE_BYTES)
}

/// An error when `meta` is not that of a regular file.
fn not_regular(meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.is_file() {
        return Ok(());
    }
    let kind = file_kind(meta.file_type());
    Err(format!(
        "this is not a regular file ({kind}): spec files are read from regular files only"
    ))
}

fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() { "a folder" } else { "not a file" }
}

/// Opens `path` for reading; on Unix without following a final symlink
/// and without blocking (a FIFO swapped in after the check opens at once).
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(std::fs::File::from(fd))
    }
    #[cfg(not(unix))]
    {
        std::fs::File::open(path)
    }
}

/// Reads at most `max` bytes from `reader`, or says it holds more.
fn read_bounded(reader: impl std::io::Read, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "the file is larger than {max} bytes, the limit for a spec file"
        ));
    }
    Ok(bytes)
}

/// The path an api's file must have: `pims.a.b` → `a/b.yaml`.
pub fn expected_path(api: &str) -> Option<PathBuf> {
    let rest = api.strip_prefix("pims.")?;
    let mut path: PathBuf = rest.split('.').collect();
    path.set_extension("yaml");
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_is_bounded_not_the_metadata() {
        // an endless reader, as /dev/zero is: read to the limit and refused
        let err = read_bounded(std::io::repeat(0), 1024).unwrap_err();
        assert!(err.contains("larger than 1024 bytes"), "{err}");
        assert_eq!(read_bounded(&b"abc"[..], 3).unwrap(), b"abc");
        assert!(read_bounded(&b"abcd"[..], 3).is_err());
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.yaml");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let inside = std::fs::canonicalize(dir.path()).unwrap();
        let err = read_spec_file(&inside, &big).unwrap_err();
        assert!(err.contains("larger than"), "{err}");
    }
}
