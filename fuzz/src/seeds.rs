//! The seed corpus, read at run time from the project (never copied):
//!
//! - `spec/` whole, and `spec/pims.yaml` with each api file of `spec/` alone
//!   (small folders run fast, so most inputs start from one of these);
//! - `tests/specs/good/`;
//! - each case of `tests/specs/bad/` (its `# file:` sections, on top of
//!   `spec/pims.yaml` unless it has its own);
//! - for messages: the examples of the IR of `spec/` (results, failures with
//!   every listed code, events, parameters) as whole messages.

use std::io;
use std::path::{Path, PathBuf};

use pims_codegen::ir::{Ir, Outcome};

use crate::input::{MessageInput, MessageKind, SpecInput};

/// A seed spec folder.
#[derive(Debug, Clone)]
pub struct SpecSeed {
    /// Where it comes from, e.g. `spec/authentication/smscode.yaml`.
    pub name: String,
    /// How it is picked: the seeds of one group share a weight.
    pub group: Group,
    /// The folder.
    pub input: SpecInput,
}

/// The groups of seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// `spec/` whole.
    Whole,
    /// `spec/pims.yaml` and one api file.
    Slice,
    /// `tests/specs/good/`.
    Good,
    /// A case of `tests/specs/bad/`.
    Bad,
}

fn yaml_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir.join(rel))? {
        let entry = entry?;
        let rel = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            yaml_files(dir, &rel, out)?;
        } else if rel.extension().is_some_and(|e| e == "yaml") {
            out.push(rel);
        }
    }
    Ok(())
}

fn read_folder(dir: &Path) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut paths = Vec::new();
    yaml_files(dir, Path::new(""), &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|p| Ok((p.clone(), std::fs::read(dir.join(&p))?)))
        .collect()
}

/// The files of a case of `tests/specs/bad/`, read as `pims-codegen explain`
/// reads them (`pims_codegen::explain::case_files`).
pub fn case_files(text: &str) -> Vec<(PathBuf, Vec<u8>)> {
    pims_codegen::explain::case_files(text)
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect()
}

fn folder(files: Vec<(PathBuf, Vec<u8>)>) -> SpecInput {
    SpecInput {
        root: "spec".to_owned(),
        files,
    }
}

/// Every seed spec folder of the project at `root`.
pub fn spec_seeds(root: &Path) -> io::Result<Vec<SpecSeed>> {
    let spec = read_folder(&root.join("spec"))?;
    let manifest = spec
        .iter()
        .find(|(p, _)| p == Path::new("pims.yaml"))
        .cloned()
        .ok_or_else(|| io::Error::other("spec/pims.yaml is missing"))?;
    let mut seeds = vec![SpecSeed {
        name: "spec".into(),
        group: Group::Whole,
        input: folder(spec.clone()),
    }];
    for file in spec.iter().filter(|(p, _)| p != Path::new("pims.yaml")) {
        seeds.push(SpecSeed {
            name: format!("spec/{}", file.0.display()),
            group: Group::Slice,
            input: folder(vec![manifest.clone(), file.clone()]),
        });
    }
    seeds.push(SpecSeed {
        name: "tests/specs/good".into(),
        group: Group::Good,
        input: folder(read_folder(&root.join("tests/specs/good"))?),
    });
    let bad = root.join("tests/specs/bad");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&bad)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    cases.sort();
    for case in cases
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(case)?;
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let with_manifest = |text: &str| {
            let mut files = case_files(text);
            if !text.starts_with("# without: pims.yaml\n")
                && !files.iter().any(|(p, _)| p == Path::new("pims.yaml"))
            {
                files.push(manifest.clone());
            }
            files.sort();
            folder(files)
        };
        seeds.push(SpecSeed {
            name: format!("tests/specs/bad/{name}"),
            group: Group::Bad,
            input: with_manifest(&text),
        });
        // its fix checks clean (tests/it/diagnostics.rs): a seed of its own
        if let Ok(fixed) = pims_codegen::explain::fixed(&text) {
            seeds.push(SpecSeed {
                name: format!("tests/specs/bad/{name} (fixed)"),
                group: Group::Good,
                input: with_manifest(&fixed),
            });
        }
    }
    Ok(seeds)
}

/// The message of `status` with `payload` under `key`, as the facade sends it.
fn envelope(status: &str, key: &str, payload: serde_json::Value) -> String {
    let mut map = serde_json::Map::new();
    map.insert("transactionId".into(), "953cfefb-bc72".into());
    map.insert("status".into(), status.into());
    map.insert(key.into(), payload);
    serde_json::Value::Object(map).to_string()
}

/// Every seed message of the operations of `ir`: per operation, its
/// examples' results, parameters and events, and a failure per listed code.
pub fn message_seeds(ir: &Ir) -> Vec<MessageInput> {
    let mut out = Vec::new();
    for module in &ir.modules {
        for op in &module.operations {
            let make = |kind: MessageKind, text: String| MessageInput {
                api: module.api.clone(),
                verb: op.verb.as_str().to_owned(),
                name: op.name.clone(),
                kind,
                text,
            };
            let error = |code: i64| {
                let label = ir.error(code).map_or("", |e| e.label.as_str());
                serde_json::json!({"code": code, "label": label})
            };
            for ex in &op.examples {
                out.push(make(MessageKind::Parameters, ex.parameters.to_string()));
                match &ex.outcome {
                    Outcome::Succeeded(result) => {
                        out.push(make(
                            MessageKind::Reply,
                            envelope("SUCCEEDED", "result", result.clone()),
                        ));
                    }
                    Outcome::Failed(code) => {
                        out.push(make(
                            MessageKind::Reply,
                            envelope("FAILED", "error", error(*code)),
                        ));
                    }
                }
                if op.event.is_some() {
                    for event in &ex.events {
                        out.push(make(
                            MessageKind::Event,
                            envelope("RESULT", "result", event.clone()),
                        ));
                    }
                }
            }
            for &code in &op.errors {
                out.push(make(
                    MessageKind::Reply,
                    envelope("FAILED", "error", error(code)),
                ));
                if op.event.is_some() {
                    out.push(make(
                        MessageKind::Event,
                        envelope("RESULT", "error", error(code)),
                    ));
                }
            }
            if op.examples.is_empty() {
                out.push(make(
                    MessageKind::Reply,
                    envelope("SUCCEEDED", "result", serde_json::json!({})),
                ));
            }
        }
    }
    out
}
