//! `cargo xtask codegen [--check]`: regenerates `generated-sdk/` and the
//! meta-schema from `spec/`; with `--check`, changes nothing and fails when
//! anything differs. `cargo xtask fuzz …` runs the fuzz targets (`fuzz/`).

use std::process::ExitCode;

mod bench;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench [RUNS] | cargo xtask bench --peer [OPTIONS]
       cargo xtask fuzz [spec|message] [--seconds N] [--seed S] | cargo xtask fuzz replay PATH
  bench: time the regeneration of everything from spec/ (in memory, nothing written);
         for the figure that matters, build it in release:
         cargo run --release -p xtask -- bench
  bench --peer: compare with progenitor (generation, crate-only cargo check, memory);
         `cargo xtask bench --peer --help` for its options (docs/performance.md)
  fuzz:  the fuzz targets, built in release (`cargo xtask fuzz --help`)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["fuzz", rest @ ..] => fuzz(rest),
        ["bench"] => bench(20),
        ["bench", "--peer", rest @ ..] => bench::peer(rest),
        ["bench", runs] => match runs.parse() {
            Ok(n) if n > 0 => bench(n),
            _ => {
                eprintln!("{USAGE}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Runs `pims-fuzz` (the `fuzz/` crate) in release with `args`: fuzzing
/// is only worth it at optimised speed. It depends on the generated SDK, so
/// it is a program of its own, not a dependency of this one.
fn fuzz(args: &[&str]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--release", "-p", "pims-fuzz", "--"])
        .args(args)
        .status();
    match status {
        Ok(s) => ExitCode::from(s.code().map_or(2, |c| c.clamp(0, 255) as u8)),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let root = xtask::root();
    let files = match xtask::files(&root) {
        Ok(files) => files,
        Err(e) => {
            eprint!("{}", e.render());
            return ExitCode::from(1);
        }
    };
    if let Some(note) = xtask::changes_note(&root) {
        eprintln!("{note}");
    }
    let owned = xtask::owned();
    if check {
        return match pims_codegen::output::drift(&root, &files, &owned, xtask::COMMAND) {
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
                eprintln!("error: {}", relative(&root, &e.to_string()));
                ExitCode::from(2)
            }
        };
    }
    match pims_codegen::output::write(&root, &files, &owned, xtask::COMMAND) {
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
            eprintln!("error: {}", relative(&root, &e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// Times the regeneration of every file from `spec/`: load, check, lower and
/// emit, in memory. Prints the fastest, median and slowest of `runs`.
fn bench(runs: usize) -> ExitCode {
    let root = xtask::root();
    let mut times = Vec::with_capacity(runs);
    let mut files = 0;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        match xtask::files(&root) {
            Ok(f) => files = f.len(),
            Err(e) => {
                eprint!("{}", e.render());
                return ExitCode::from(1);
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "regenerated {files} files from spec/ {runs} times ({profile} build): fastest {:.1} ms, median {:.1} ms, slowest {:.1} ms",
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );
    ExitCode::SUCCESS
}

/// `message` with the workspace's absolute path left out: paths read from the
/// workspace root, as the CLI prints them from where it runs.
fn relative(root: &std::path::Path, message: &str) -> String {
    let prefix = format!("{}/", pims_codegen::source::display_path(root));
    message.replace(&prefix, "")
}
