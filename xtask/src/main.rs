//! `cargo xtask codegen [--check]`: regenerates `generated-sdk/` and the
//! meta-schema from `spec/`; with `--check`, changes nothing and fails when
//! anything differs.

use std::process::ExitCode;

use pims_codegen::diag::{self, Format};

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let root = xtask::root();
    let files = match xtask::files(&root) {
        Ok(files) => files,
        Err(analysis) => {
            let list = analysis.diagnostics.clone().sorted(&analysis.sources);
            eprint!("{}", diag::render(&list, &analysis.sources, Format::Human));
            eprintln!("spec/ has errors: nothing generated");
            return ExitCode::from(1);
        }
    };
    let owned = xtask::owned();
    if check {
        return match pims_codegen::output::drift(&root, &files, &owned) {
            Ok(drift) if drift.is_empty() => {
                eprintln!("generated files are up to date ({} files)", files.len());
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                for d in &drift {
                    eprintln!("{d}");
                }
                eprintln!("generated files are stale: run `{}`", xtask::COMMAND);
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    match pims_codegen::output::write(&root, &files, &owned) {
        Ok(report) => {
            for path in &report.written {
                eprintln!("wrote {}", pims_codegen::source::display_path(path));
            }
            for path in &report.removed {
                eprintln!("removed {}", pims_codegen::source::display_path(path));
            }
            eprintln!(
                "{} written, {} unchanged, {} removed",
                report.written.len(),
                report.unchanged.len(),
                report.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
