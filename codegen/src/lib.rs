//! pims-codegen: the pims spec (`spec/`, YAML) in; typed Rust, JSON Schemas
//! and docs out.
//!
//! The data flows one way: [`load`] reads the folder into the [`spec`] model,
//! [`check`] collects every problem, [`ir`] lowers the model once, and the
//! [`emit`] modules turn the IR into files, which [`output`] writes.
//! [`analyze`] runs the front end; [`sdk_files`] and [`expand`] are what the
//! CLI, the xtask and the proc-macro call.

pub mod check;
pub mod diag;
pub mod emit;
pub mod import;
pub mod ir;
pub mod load;
pub mod naming;
pub mod output;
pub mod source;
pub mod spec;
pub mod yaml;

use std::path::{Path, PathBuf};

use diag::Diagnostics;
use source::Sources;

/// A spec folder after the front end: its sources, and the IR when the spec
/// has no errors.
#[derive(Debug)]
pub struct Analysis {
    /// Every file read.
    pub sources: Sources,
    /// The decoded spec, when the manifest could be read.
    pub spec: Option<spec::Spec>,
    /// The IR, when the spec has no errors.
    pub ir: Option<ir::Ir>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

/// Loads, checks and lowers the spec folder at `dir`; generated comments and
/// docs show the folder as given.
pub fn analyze(dir: &Path) -> Analysis {
    analyze_as(dir, &source::display_path(dir))
}

/// Like [`analyze`], with the folder shown as `shown` in generated comments
/// and docs (`spec`, rather than an absolute path that differs per machine).
pub fn analyze_as(dir: &Path, shown: &str) -> Analysis {
    finish(load::load_dir(dir), shown)
}

/// Loads, checks and lowers spec files given in memory.
pub fn analyze_files(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Analysis {
    finish(load::load_files(root, files), &source::display_path(root))
}

fn finish(loaded: load::Loaded, shown: &str) -> Analysis {
    let load::Loaded {
        sources,
        spec,
        mut diagnostics,
    } = loaded;
    let mut ir = None;
    if let Some(spec) = &spec {
        diagnostics.extend(check::check(spec));
        if !diagnostics.has_errors() {
            match ir::lower(spec) {
                Ok(mut lowered) => {
                    lowered.source_root = shown.trim_end_matches('/').to_owned();
                    ir = Some(lowered);
                }
                Err(d) => diagnostics.extend(d),
            }
        }
    }
    Analysis {
        sources,
        spec,
        ir,
        diagnostics,
    }
}

/// The SDK's generated files for an analysed spec without errors.
pub fn sdk_files(ir: &ir::Ir, command: &str) -> Result<emit::Files, String> {
    emit::sdk_files(ir, command)
}

/// What the proc-macro expands to for the spec folder at `dir` (shown as
/// `shown`): the generated modules inline, and the files read (so the caller
/// can make cargo watch them). On errors, the analysis with its diagnostics.
pub fn expand(
    dir: &Path,
    shown: &str,
) -> Result<(proc_macro2::TokenStream, Vec<PathBuf>), Box<Analysis>> {
    let analysis = analyze_as(dir, shown);
    let files: Vec<PathBuf> = analysis
        .sources
        .iter()
        .map(|(_, s)| s.path.clone())
        .collect();
    match &analysis.ir {
        Some(ir) if !analysis.diagnostics.has_errors() => Ok((emit::inline(ir), files)),
        _ => Err(Box::new(analysis)),
    }
}
