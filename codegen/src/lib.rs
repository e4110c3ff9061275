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
pub mod diff;
pub mod emit;
pub mod explain;
pub mod import;
pub mod ir;
pub mod load;
pub mod naming;
pub mod output;
pub mod scaffold;
pub mod source;
pub mod spec;
pub mod yaml;
pub mod yaml_out;

use std::path::{Path, PathBuf};

use diag::Diagnostics;
use source::Sources;

/// A spec folder after the front end: its sources, the decoded spec, the
/// diagnostics, and the IR when the spec has no errors.
#[derive(Debug)]
pub struct Analysis {
    /// Every file read.
    pub sources: Sources,
    /// The decoded spec, when the manifest could be read.
    pub spec: Option<spec::Spec>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
    ir: Option<ir::Ir>,
}

impl Analysis {
    /// The IR, when the spec has no errors (warnings allowed): the one way to
    /// the checked IR.
    pub fn ir(&self) -> Option<&ir::Ir> {
        self.ir.as_ref().filter(|_| !self.diagnostics.has_errors())
    }

    /// The IR of a spec without errors; otherwise the analysis, for its diagnostics.
    pub fn into_ir(self) -> Result<ir::Ir, Box<Analysis>> {
        match self.ir {
            Some(ir) if !self.diagnostics.has_errors() => Ok(ir),
            _ => Err(Box::new(self)),
        }
    }

    /// The diagnostics, sorted by place, rendered in `format`.
    pub fn render(&self, format: diag::Format) -> String {
        let list = self.diagnostics.clone().sorted(&self.sources);
        diag::render(&list, &self.sources, format)
    }
}

/// Loads, checks and lowers the spec folder at `dir`.
pub fn analyze(dir: &Path) -> Analysis {
    finish(load::load_dir(dir))
}

/// Loads, checks and lowers spec files given in memory (paths relative to `root`).
pub fn analyze_files(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Analysis {
    finish(load::load_files(root, files))
}

fn finish(loaded: load::Loaded) -> Analysis {
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
                Ok(lowered) => ir = Some(lowered),
                Err(d) => diagnostics.extend(d),
            }
        }
    }
    Analysis {
        sources,
        spec,
        diagnostics,
        ir,
    }
}

/// The SDK's generated files for an analysed spec without errors.
pub fn sdk_files(
    ir: &ir::Ir,
    settings: &emit::Settings,
    command: &str,
) -> Result<emit::Files, String> {
    emit::sdk_files(ir, settings, command)
}

/// What the proc-macro expands to for the spec folder at `dir`, with
/// `settings` (the folder as shown, the `JsonSchema` derives): the generated
/// modules inline, and the files read (so the caller can make cargo watch
/// them). On errors, the analysis with its diagnostics.
pub fn expand(
    dir: &Path,
    settings: &emit::Settings,
) -> Result<(proc_macro2::TokenStream, Vec<PathBuf>), Box<Analysis>> {
    let analysis = analyze(dir);
    let files: Vec<PathBuf> = analysis
        .sources
        .iter()
        .map(|(_, s)| s.path.clone())
        .collect();
    let ir = analysis.into_ir()?;
    Ok((emit::inline(&ir, settings), files))
}
