//! The `pims-codegen` command line, for people and for pipelines.
//!
//! Exit codes: 0 when all is fine, 1 when the spec has errors (or warnings
//! with `--deny-warnings`; nothing is written then), 2 for usage and I/O problems.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pims_codegen::diag::{self, Format};
use pims_codegen::{Analysis, emit, output};

const USAGE: &str = "\
pims-codegen: the pims spec in; typed Rust, Kotlin and Swift clients and JSON Schemas out

Usage:
  pims-codegen check SPEC_DIR [--format human|json|github] [--deny-warnings]
  pims-codegen generate SPEC_DIR --out DIR [--lang rust|kotlin|swift]
                        [--runtime-path PATH] [--name NAME] [--package NAME]
                        [--format human|json|github] [--deny-warnings]
  pims-codegen docs SPEC_DIR --out DIR
  pims-codegen import DATA_FILE --out SPEC_DIR
  pims-codegen schema [--out FILE]
  pims-codegen help

Commands:
  check      Check a spec folder; print every problem, located.
  generate   Write a complete crate (Cargo.toml, src/, schemas/) to DIR; with
             --lang kotlin, the Kotlin client (src/main/kotlin/); with
             --lang swift, a Swift package (Package.swift, Sources/).
             Nothing is written when the spec has errors; files without the
             @generated header are never overwritten; generated files that no
             longer belong are removed.
  docs       Write the reference book (an mdBook: book.toml, src/) to DIR,
             with the same guards as `generate`.
  import     Turn the SDK's reference data (sdk-data/*.yml) into a spec
             folder that `check` accepts; print what was repaired or
             guessed, one warning per line with its line in the data.
             SPEC_DIR must not exist or be empty.
  schema     Print (or write) the JSON Schema of spec files.

Options:
  --format FORMAT      human (default), json (one object per line), or github
                       (workflow annotations)
  --deny-warnings      treat warnings as errors
  --runtime-path PATH  depend on pims-runtime at PATH instead of crates.io
  --name NAME          the generated crate's name (default: pims-sdk)
  --lang LANG          rust (default), kotlin or swift
  --package NAME       kotlin: the base package (default: pims.sdk);
                       swift: the package and module (default: PimsSdk)

Exit status: 0 fine, 1 spec errors, 2 usage or I/O problems.
";

/// Exit codes.
const OK: u8 = 0;
const SPEC_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

#[derive(Debug)]
enum Command {
    Check {
        dir: PathBuf,
    },
    Generate {
        dir: PathBuf,
        out: PathBuf,
        runtime_path: Option<PathBuf>,
        name: String,
        target: Target,
    },
    Schema {
        out: Option<PathBuf>,
    },
    Import {
        data: PathBuf,
        out: PathBuf,
    },
    Docs {
        dir: PathBuf,
        out: PathBuf,
    },
    Help,
}

/// What `generate` writes.
#[derive(Debug)]
enum Target {
    Rust,
    Kotlin { package: String },
    Swift { package: String },
}

#[derive(Debug)]
struct Args {
    command: Command,
    format: Format,
    deny_warnings: bool,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut command: Option<String> = None;
    let mut positional: Vec<PathBuf> = Vec::new();
    let mut out = None;
    let mut runtime_path = None;
    let mut name = "pims-sdk".to_owned();
    let mut lang = "rust".to_owned();
    let mut package: Option<String> = None;
    let mut format = Format::Human;
    let mut deny_warnings = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("format") => {
                format = match parser.value()?.string()?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "github" => Format::Github,
                    other => {
                        return Err(format!(
                            "unknown format `{other}`: expected human, json or github"
                        )
                        .into());
                    }
                }
            }
            Long("deny-warnings") => deny_warnings = true,
            Long("out") | Short('o') => out = Some(PathBuf::from(parser.value()?)),
            Long("runtime-path") => runtime_path = Some(PathBuf::from(parser.value()?)),
            Long("name") => name = parser.value()?.string()?,
            Long("lang") => lang = parser.value()?.string()?,
            Long("package") => package = Some(parser.value()?.string()?),
            Long("help") | Short('h') => command = Some("help".into()),
            Value(v) if command.is_none() => command = Some(v.string()?),
            Value(v) => positional.push(PathBuf::from(v)),
            _ => return Err(arg.unexpected()),
        }
    }
    let one_dir = |positional: &mut Vec<PathBuf>, cmd: &str| -> Result<PathBuf, lexopt::Error> {
        match positional.len() {
            1 => Ok(positional.remove(0)),
            0 => Err(format!("`{cmd}` needs the spec folder: pims-codegen {cmd} SPEC_DIR").into()),
            _ => Err(format!("`{cmd}` takes one spec folder").into()),
        }
    };
    let command = match command.as_deref() {
        None | Some("help") => Command::Help,
        Some("check") => Command::Check {
            dir: one_dir(&mut positional, "check")?,
        },
        Some("generate") => {
            let dir = one_dir(&mut positional, "generate")?;
            let out = out.ok_or("`generate` needs --out DIR")?;
            let target = match (lang.as_str(), package) {
                ("rust", None) => Target::Rust,
                ("rust", Some(_)) => {
                    return Err(
                        "--package is for kotlin and swift; a crate is named with --name".into(),
                    );
                }
                ("kotlin", package) => {
                    let package =
                        package.unwrap_or_else(|| emit::kotlin::DEFAULT_PACKAGE.to_owned());
                    pims_codegen::naming::kotlin::valid_package(&package)
                        .map_err(|e| format!("--package {package}: {e}"))?;
                    Target::Kotlin { package }
                }
                ("swift", package) => {
                    let package =
                        package.unwrap_or_else(|| emit::swift::DEFAULT_PACKAGE.to_owned());
                    pims_codegen::naming::swift::valid_module(&package)
                        .map_err(|e| format!("--package {package}: {e}"))?;
                    Target::Swift { package }
                }
                (other, _) => {
                    return Err(format!(
                        "unknown language `{other}`: expected rust, kotlin or swift"
                    )
                    .into());
                }
            };
            if !matches!(target, Target::Rust) && runtime_path.is_some() {
                return Err("--runtime-path is for --lang rust".into());
            }
            Command::Generate {
                dir,
                out,
                runtime_path,
                name,
                target,
            }
        }
        Some("docs") => {
            let dir = one_dir(&mut positional, "docs")?;
            let out = out.ok_or("`docs` needs --out DIR")?;
            Command::Docs { dir, out }
        }
        Some("import") => {
            let data = match positional.len() {
                1 => positional.remove(0),
                _ => return Err(
                    "`import` takes the data file: pims-codegen import DATA_FILE --out SPEC_DIR"
                        .into(),
                ),
            };
            let out = out.ok_or("`import` needs --out SPEC_DIR")?;
            Command::Import { data, out }
        }
        Some("schema") => {
            if !positional.is_empty() {
                return Err("`schema` takes no folder".into());
            }
            Command::Schema { out }
        }
        Some(other) => {
            return Err(format!(
                "unknown command `{other}`: expected check, generate, docs, import or schema"
            )
            .into());
        }
    };
    Ok(Args {
        command,
        format,
        deny_warnings,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(USAGE_OR_IO);
        }
    };
    ExitCode::from(match args.command {
        Command::Help => {
            print!("{USAGE}");
            OK
        }
        Command::Check { ref dir } => {
            let analysis = pims_codegen::analyze(dir);
            report(&analysis, &args, dir)
        }
        Command::Generate {
            ref dir,
            ref out,
            ref runtime_path,
            ref name,
            ref target,
        } => match target {
            Target::Rust => generate(&args, dir, out, runtime_path.as_deref(), name),
            Target::Kotlin { package } | Target::Swift { package } => {
                generate_mobile(&args, dir, out, target, package)
            }
        },
        Command::Schema { ref out } => schema(out.as_deref()),
        Command::Import { ref data, ref out } => import(&args, data, out),
        Command::Docs { ref dir, ref out } => docs(&args, dir, out),
    })
}

/// Prints the diagnostics and a summary; returns the exit code they call for.
fn report(analysis: &Analysis, args: &Args, dir: &Path) -> u8 {
    let (errors, warnings) = analysis.diagnostics.counts();
    if let Some(io) = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == diag::Code::Io && analysis.spec.is_none())
    {
        let shown = diag::render(std::slice::from_ref(io), &analysis.sources, args.format);
        eprint!("{shown}");
        return USAGE_OR_IO;
    }
    let list = analysis.diagnostics.clone().sorted(&analysis.sources);
    let text = diag::render(&list, &analysis.sources, args.format);
    match args.format {
        Format::Human => eprint!("{text}"),
        Format::Json | Format::Github => print!("{text}"),
    }
    if args.format == Format::Human {
        eprintln!("{}", summary(analysis, dir, errors, warnings));
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        SPEC_ERRORS
    } else {
        OK
    }
}

fn summary(analysis: &Analysis, dir: &Path, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let shape = analysis.spec.as_ref().map(|spec| {
        let operations: usize = spec.apis.iter().map(|a| a.operations.len()).sum();
        let types =
            spec.manifest.types.len() + spec.apis.iter().map(|a| a.types.len()).sum::<usize>();
        format!(
            "{}, {}, {}, {}",
            plural(spec.apis.len(), "api"),
            plural(operations, "operation"),
            plural(types, "named type"),
            plural(spec.manifest.errors.len(), "catalogue error"),
        )
    });
    format!(
        "{}: {}{}, {}",
        pims_codegen::source::display_path(dir),
        shape.map(|s| format!("{s}; ")).unwrap_or_default(),
        plural(errors, "error"),
        plural(warnings, "warning"),
    )
}

fn generate(args: &Args, dir: &Path, out: &Path, runtime_path: Option<&Path>, name: &str) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    let runtime = match runtime_path {
        Some(p) => match std::fs::canonicalize(p) {
            Ok(abs) => emit::RuntimeDep::Path(pims_codegen::source::display_path(&abs)),
            Err(e) => {
                eprintln!("error: --runtime-path {}: {e}", p.display());
                return USAGE_OR_IO;
            }
        },
        None => emit::RuntimeDep::Version(env!("CARGO_PKG_VERSION").to_owned()),
    };
    // the crate's name is known: rustdoc examples can use it
    let settings = settings(dir).with_doc_crate(name);
    let files = match emit::crate_files(&ir, &settings, "pims-codegen generate", name, &runtime) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("internal error: {e}");
            return USAGE_OR_IO;
        }
    };
    let owned = [Path::new("src"), Path::new("schemas")];
    write_files(out, &files, &owned)
}

/// `generate --lang kotlin|swift`: the client's sources, with the same
/// guards as the crate (nothing written on errors, hand-written files kept).
fn generate_mobile(args: &Args, dir: &Path, out: &Path, target: &Target, package: &str) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    let command = "pims-codegen generate";
    let (files, owned) = match target {
        Target::Kotlin { .. } => (
            emit::kotlin::files(&ir, &settings(dir), command, package),
            vec![Path::new(emit::kotlin::SOURCE_DIR)],
        ),
        _ => (
            emit::swift::package_files(&ir, &settings(dir), command, package),
            vec![Path::new("Sources")],
        ),
    };
    match files {
        Ok(files) => write_files(out, &files, &owned),
        Err(e) => {
            eprintln!("internal error: {e}");
            USAGE_OR_IO
        }
    }
}

/// The IR of the spec at `dir`, after printing its diagnostics; the exit code
/// when it has errors (nothing is to be written then).
fn checked_ir(args: &Args, dir: &Path) -> Result<pims_codegen::ir::Ir, u8> {
    let analysis = pims_codegen::analyze(dir);
    let code = report(&analysis, args, dir);
    if code != OK {
        eprintln!("nothing written");
        return Err(code);
    }
    analysis.into_ir().map_err(|_| SPEC_ERRORS)
}

/// The spec folder as generated files show it: as given on the command line.
fn settings(dir: &Path) -> emit::Settings {
    emit::Settings::new(&pims_codegen::source::display_path(dir))
}

/// Writes generated files (see `output::write`) and says what changed.
fn write_files(out: &Path, files: &emit::Files, owned: &[&Path]) -> u8 {
    match output::write(out, files, owned) {
        Ok(r) => {
            eprintln!(
                "{}: {} written, {} unchanged, {} removed",
                pims_codegen::source::display_path(out),
                r.written.len(),
                r.unchanged.len(),
                r.removed.len()
            );
            OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            USAGE_OR_IO
        }
    }
}

fn docs(args: &Args, dir: &Path, out: &Path) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    let files = match emit::book::book_files(&ir, &settings(dir), "pims-codegen docs") {
        Ok(files) => files,
        Err(e) => {
            eprintln!("internal error: {e}");
            return USAGE_OR_IO;
        }
    };
    write_files(out, &files, &[Path::new("src")])
}

fn import(args: &Args, data: &Path, out: &Path) -> u8 {
    if std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!(
            "error: {} is not empty: import writes a new spec folder",
            pims_codegen::source::display_path(out)
        );
        return USAGE_OR_IO;
    }
    let imported = match pims_codegen::import::import_file(data) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("error: {e}");
            return USAGE_OR_IO;
        }
    };
    let source = pims_codegen::source::display_path(data);
    print!(
        "{}",
        pims_codegen::import::report(&source, &imported.warnings)
    );
    // what was written must check: the importer's own promise
    let files: Vec<(PathBuf, Vec<u8>)> = imported
        .files
        .iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect();
    let analysis = pims_codegen::analyze_files(out, files);
    let code = report(&analysis, args, out);
    if analysis.diagnostics.has_errors() {
        eprintln!("the imported spec does not check: nothing written");
        return code;
    }
    for (rel, text) in &imported.files {
        let path = out.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("error: {}: {e}", path.display());
            return USAGE_OR_IO;
        }
    }
    eprintln!(
        "{}: {} files written, {} warnings",
        pims_codegen::source::display_path(out),
        imported.files.len(),
        imported.warnings.len()
    );
    code
}

fn schema(out: Option<&Path>) -> u8 {
    let text = emit::meta_schema_file("pims-codegen schema");
    match out {
        None => {
            print!("{text}");
            OK
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => OK,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                USAGE_OR_IO
            }
        },
    }
}
