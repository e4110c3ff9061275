//! The `pims-codegen` command line, for people and for pipelines.
//!
//! Exit codes: 0 when all is fine, 1 when the spec has errors (or warnings
//! with `--deny-warnings`; nothing is written then), 2 for usage and I/O problems.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pims_codegen::diag::{self, Format};
use pims_codegen::{Analysis, emit, output};

const USAGE: &str = "\
pims-codegen: the pims spec in; a typed Rust SDK and JSON Schemas out

Usage:
  pims-codegen check SPEC_DIR [--format human|json|github] [--deny-warnings]
  pims-codegen generate SPEC_DIR --out DIR [--runtime-path PATH] [--name NAME]
                        [--format human|json|github] [--deny-warnings]
  pims-codegen docs SPEC_DIR --out DIR [--changes-from OLD_DIR|REV]
  pims-codegen import DATA_FILE --out SPEC_DIR
  pims-codegen schema [--out FILE]
  pims-codegen diff OLD_DIR NEW_DIR | --base REV SPEC_DIR   (see `diff --help`)
  pims-codegen help

Commands:
  check      Check a spec folder; print every problem, located.
  generate   Write a complete crate (Cargo.toml, src/, schemas/) to DIR.
             Nothing is written when the spec has errors; files without the
             @generated header are never overwritten; generated files that no
             longer belong are removed.
  docs       Write the reference book (an mdBook: book.toml, src/) to DIR,
             with the same guards as `generate`. With --changes-from, its
             Changes page also says what changed since that spec (a folder,
             or a git revision of SPEC_DIR).
  import     Turn the SDK's reference data (sdk-data/*.yml) into a spec
             folder that `check` accepts; print what was repaired or
             guessed, one warning per line with its line in the data.
             SPEC_DIR must not exist or be empty.
  schema     Print (or write) the JSON Schema of spec files.
  diff       Compare two specs: every change, classified for the wire and
             for the generated crate; a semver gate for pipelines.

Options:
  --format FORMAT      human (default), json (one object per line), or github
                       (workflow annotations)
  --deny-warnings      treat warnings as errors
  --runtime-path PATH  depend on pims-runtime at PATH instead of crates.io
  --name NAME          the generated crate's name (default: pims-sdk)

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
        changes_from: Option<String>,
    },
    Help,
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
    let mut format = Format::Human;
    let mut deny_warnings = false;
    let mut changes_from = None;
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
            Long("changes-from") => changes_from = Some(parser.value()?.string()?),
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
            Command::Generate {
                dir,
                out,
                runtime_path,
                name,
            }
        }
        Some("docs") => {
            let dir = one_dir(&mut positional, "docs")?;
            let out = out.ok_or("`docs` needs --out DIR")?;
            Command::Docs {
                dir,
                out,
                changes_from,
            }
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
    if std::env::args_os().nth(1).is_some_and(|a| a == "diff") {
        return diff_command::run();
    }
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
        } => generate(&args, dir, out, runtime_path.as_deref(), name),
        Command::Schema { ref out } => schema(out.as_deref()),
        Command::Import { ref data, ref out } => import(&args, data, out),
        Command::Docs {
            ref dir,
            ref out,
            ref changes_from,
        } => docs(&args, dir, out, changes_from.as_deref()),
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

fn docs(args: &Args, dir: &Path, out: &Path, changes_from: Option<&str>) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    // a folder, else a revision of the spec folder
    let diff = match changes_from {
        None => None,
        Some(from) => {
            let old = if Path::new(from).is_dir() {
                diff_command::Old::Dir(Path::new(from))
            } else {
                diff_command::Old::Revision(from, dir)
            };
            match diff_command::load_old(old) {
                Ok(old) => Some(pims_codegen::diff::compare(
                    old.as_ref().and_then(Analysis::ir),
                    &ir,
                )),
                Err(code) => {
                    eprintln!("nothing written");
                    return code;
                }
            }
        }
    };
    let files = match emit::book::book_files_with_changes(
        &ir,
        &settings(dir),
        "pims-codegen docs",
        diff.as_ref(),
    ) {
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

/// `pims-codegen diff`: parses its own arguments, compares two specs
/// through `pims_codegen::diff`, prints, and sets the exit code.
mod diff_command {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use pims_codegen::Analysis;
    use pims_codegen::diff::{self, Diff, Rust, Wire, render};

    use super::{OK, SPEC_ERRORS, USAGE_OR_IO};

    pub(super) const USAGE: &str = "\
Usage:
  pims-codegen diff OLD_DIR NEW_DIR [--format FORMAT] [--fail-on LEVEL]
  pims-codegen diff --base REV SPEC_DIR [--format FORMAT] [--fail-on LEVEL]

Compares two spec folders, or SPEC_DIR at the git revision REV (read through
git, nothing checked out) with SPEC_DIR in the working tree. Every change is
printed with its id and two classifications: on the wire (breaking,
compatible, info: what an app built on the old spec meets) and for the
generated Rust crate (major, minor, patch). See docs/diff.md.

Options:
  --format FORMAT   human (default), json (one object per line), github
                    (workflow annotations), markdown (a changelog section)
  --fail-on LEVEL   exit 1 when a change reaches LEVEL: breaking (on the
                    wire), major or minor (for the generated crate)

Semver advice compares the two sdk.version values with the strongest change;
it fails (exit 1) when the version changed by less than the changes call for.

Exit status: 0 fine, 1 the gate failed or a spec has errors, 2 usage or I/O
problems (including a revision that does not exist).
";

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Format {
        Human,
        Json,
        Github,
        Markdown,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum FailOn {
        Breaking,
        Major,
        Minor,
    }

    #[derive(Debug)]
    struct Opts {
        old: Option<PathBuf>,
        new: PathBuf,
        base: Option<String>,
        format: Format,
        fail_on: Option<FailOn>,
    }

    fn parse() -> Result<Option<Opts>, lexopt::Error> {
        use lexopt::prelude::*;
        let mut parser = lexopt::Parser::from_env();
        let mut positional: Vec<PathBuf> = Vec::new();
        let mut base = None;
        let mut format = Format::Human;
        let mut fail_on = None;
        let mut command_seen = false;
        while let Some(arg) = parser.next()? {
            match arg {
                Value(v) if !command_seen => {
                    command_seen = true;
                    if v != "diff" {
                        return Err("expected the `diff` command".into());
                    }
                }
                Long("format") => {
                    format = match parser.value()?.string()?.as_str() {
                        "human" => Format::Human,
                        "json" => Format::Json,
                        "github" => Format::Github,
                        "markdown" => Format::Markdown,
                        other => {
                            return Err(format!(
                                "unknown format `{other}`: expected human, json, github or markdown"
                            )
                            .into());
                        }
                    }
                }
                Long("fail-on") => {
                    fail_on = Some(match parser.value()?.string()?.as_str() {
                        "breaking" => FailOn::Breaking,
                        "major" => FailOn::Major,
                        "minor" => FailOn::Minor,
                        other => {
                            return Err(format!(
                                "unknown level `{other}`: expected breaking, major or minor"
                            )
                            .into());
                        }
                    })
                }
                Long("base") => base = Some(parser.value()?.string()?),
                Long("help") | Short('h') => return Ok(None),
                Value(v) => positional.push(PathBuf::from(v)),
                _ => return Err(arg.unexpected()),
            }
        }
        let (old, new) = match (base.is_some(), positional.len()) {
            (true, 1) => (None, positional.remove(0)),
            (true, _) => return Err("`diff --base REV` takes one spec folder".into()),
            (false, 2) => {
                let new = positional.remove(1);
                (Some(positional.remove(0)), new)
            }
            (false, _) => {
                return Err("`diff` takes two spec folders, or `--base REV` and one".into());
            }
        };
        Ok(Some(Opts {
            old,
            new,
            base,
            format,
            fail_on,
        }))
    }

    pub(super) fn run() -> ExitCode {
        let opts = match parse() {
            Ok(Some(opts)) => opts,
            Ok(None) => {
                print!("{USAGE}");
                return ExitCode::from(OK);
            }
            Err(e) => {
                eprintln!("error: {e}\n\n{USAGE}");
                return ExitCode::from(USAGE_OR_IO);
            }
        };
        ExitCode::from(diff(&opts))
    }

    /// Where the old spec comes from.
    pub(super) enum Old<'a> {
        /// A folder.
        Dir(&'a Path),
        /// The folder of the new spec at a git revision.
        Revision(&'a str, &'a Path),
    }

    /// The old spec analysed (`None`: the folder did not exist at the
    /// revision); the exit code when it cannot be compared.
    pub(super) fn load_old(old: Old<'_>) -> Result<Option<Analysis>, u8> {
        match old {
            Old::Dir(dir) => checked(pims_codegen::analyze(dir), dir).map(Some),
            Old::Revision(rev, dir) => match diff::git::spec_at(rev, dir) {
                Err(e) => {
                    eprintln!("error: {e}");
                    Err(USAGE_OR_IO)
                }
                Ok(at) => match at.files {
                    None => {
                        eprintln!(
                            "note: {} did not exist: every operation is new",
                            pims_codegen::source::display_path(&at.shown)
                        );
                        Ok(None)
                    }
                    Some(files) => {
                        checked(pims_codegen::analyze_files(&at.shown, files), &at.shown).map(Some)
                    }
                },
            },
        }
    }

    /// The analysis of a spec that lowers; else its errors are printed.
    pub(super) fn checked(analysis: Analysis, dir: &Path) -> Result<Analysis, u8> {
        if analysis.ir().is_some() {
            return Ok(analysis);
        }
        let io = analysis.spec.is_none()
            && analysis
                .diagnostics
                .iter()
                .any(|d| d.code == pims_codegen::diag::Code::Io);
        eprint!("{}", analysis.render(pims_codegen::diag::Format::Human));
        eprintln!(
            "{} has errors: nothing compared",
            pims_codegen::source::display_path(dir)
        );
        Err(if io { USAGE_OR_IO } else { SPEC_ERRORS })
    }

    fn diff(opts: &Opts) -> u8 {
        let new = match checked(pims_codegen::analyze(&opts.new), &opts.new) {
            Ok(a) => a,
            Err(code) => return code,
        };
        let old = match (&opts.old, &opts.base) {
            (Some(dir), _) => load_old(Old::Dir(dir)),
            (None, Some(rev)) => load_old(Old::Revision(rev, &opts.new)),
            (None, None) => unreachable!("parse asks for one or the other"),
        };
        let old = match old {
            Ok(old) => old,
            Err(code) => return code,
        };
        let (Some(new_ir), old_ir) = (new.ir(), old.as_ref().and_then(Analysis::ir)) else {
            return SPEC_ERRORS;
        };
        let result: Diff = diff::compare(old_ir, new_ir);
        let sides = render::Sides {
            old: old.as_ref().map(|a| &a.sources),
            new: &new.sources,
        };
        let advice = result.advice();
        match opts.format {
            Format::Human => print!("{}", render::human(&result, sides)),
            Format::Json => print!("{}", render::json_lines(&result, sides)),
            Format::Github => {
                print!("{}", render::github(&result, sides));
                let level = if advice.ok { "notice" } else { "error" };
                println!("::{level} title=semver::{}", advice.message);
            }
            Format::Markdown => print!(
                "{}",
                pims_codegen::emit::book::changes::changelog(&result, new_ir)
            ),
        }
        eprintln!("{}", render::summary(&result));
        let gate = opts.fail_on.and_then(|level| {
            let (n, what) = match level {
                FailOn::Breaking => (
                    result
                        .changes
                        .iter()
                        .filter(|c| c.wire == Wire::Breaking)
                        .count(),
                    "breaking on the wire",
                ),
                FailOn::Major => (
                    result
                        .changes
                        .iter()
                        .filter(|c| c.rust == Rust::Major)
                        .count(),
                    "major for the generated crate",
                ),
                FailOn::Minor => (
                    result
                        .changes
                        .iter()
                        .filter(|c| c.rust >= Rust::Minor)
                        .count(),
                    "minor or major for the generated crate",
                ),
            };
            (n > 0).then(|| {
                format!(
                    "--fail-on: {n} change{} {what}",
                    if n == 1 { " is" } else { "s are" }
                )
            })
        });
        if let Some(gate) = &gate {
            eprintln!("{gate}");
        }
        if !advice.ok {
            eprintln!("semver: {}", advice.message);
        }
        if gate.is_some() || !advice.ok {
            SPEC_ERRORS
        } else {
            OK
        }
    }
}
