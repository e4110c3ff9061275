//! Reads a spec folder: finds its files, reads them as UTF-8, parses and
//! decodes them. The only module of the front end that touches the file system.

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
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    if let Err(e) = find_yaml(dir, Path::new(""), &mut files, 0) {
        let id = sources.add(dir.to_path_buf(), String::new());
        diagnostics.push(
            Diagnostic::error(
                Code::Io,
                Loc::file(id),
                format!("cannot read the spec folder: {e}"),
            )
            .help("pass the folder that holds pims.yaml"),
        );
        return Loaded {
            sources,
            spec: None,
            diagnostics,
        };
    }
    files.sort();
    let inputs: Vec<(PathBuf, Result<Vec<u8>, String>)> = files
        .into_iter()
        .map(|rel| {
            let bytes = read_limited(&dir.join(&rel));
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

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes; spec files are limited to {MAX_FILE_BYTES}",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))
}

/// Every `*.yaml` below `dir` (as paths relative to it), in no particular order.
fn find_yaml(root: &Path, rel: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 16 {
        return Ok(());
    }
    for entry in std::fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        let name = entry.file_name();
        let child = rel.join(&name);
        if file_type.is_dir() {
            if !name.to_string_lossy().starts_with('.') {
                find_yaml(root, &child, out, depth + 1)?;
            }
        } else if Path::new(&name).extension().is_some_and(|e| e == "yaml") {
            out.push(child);
        }
    }
    Ok(())
}

/// The path an api's file must have: `pims.a.b` → `a/b.yaml`.
pub fn expected_path(api: &str) -> Option<PathBuf> {
    let rest = api.strip_prefix("pims.")?;
    let mut path: PathBuf = rest.split('.').collect();
    path.set_extension("yaml");
    Some(path)
}
