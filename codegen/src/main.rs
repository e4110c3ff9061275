//! The `pims-codegen` command line, for people and for pipelines.
//!
//! Exit codes: 0 when all is fine, 1 when the spec has errors (or warnings
//! with `--deny-warnings`; nothing is written then), 2 for usage and I/O problems.

/// mimalloc, for the command only (the `mimalloc` feature, on by default):
/// `generate` allocates and frees millions of small token and tree nodes.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pims_codegen::diag::{self, Format};
use pims_codegen::spec::FileKind;
use pims_codegen::{Analysis, emit, output};

const USAGE: &str = "\
pims-codegen: the pims spec in; typed Rust, Kotlin and Swift clients, JSON Schemas and a
reference book out

Usage:
  pims-codegen check SPEC_DIR|SPEC_FILE [--format FORMAT] [--deny-warnings]
  pims-codegen generate SPEC_DIR --out DIR [--lang rust|kotlin|swift] [--name NAME]
                        [--package NAME]
                        [--runtime-path PATH | --runtime-version REQ]
                        [--format FORMAT] [--deny-warnings]
  pims-codegen docs SPEC_DIR --out DIR [--changes-from OLD_DIR|REV]
  pims-codegen new API[#OPERATION] [--spec SPEC_DIR] [--component TAG]
                        [--verb get|set|subscribe]
  pims-codegen explain [CODE]
  pims-codegen import DATA_FILE --out SPEC_DIR
  pims-codegen schema --kind manifest|api [--out DIR]
  pims-codegen schema --out DIR
  pims-codegen openapi SPEC_DIR --out FILE [--openapi-version 3.0|3.1]
  pims-codegen diff OLD_DIR NEW_DIR | --base REV SPEC_DIR   (see `diff --help`)
  pims-codegen help [COMMAND] | --version

Commands:
  check      Check a spec folder; print every problem, located. Given a file
             of a spec folder, check the folder and show that file's problems.
  generate   Write a complete crate to DIR: Cargo.toml, src/, schemas/, and a
             copy of the runtime in pims-runtime/ (so it builds anywhere), plus
             a first Cargo.lock when DIR has none; with --lang kotlin, the
             Kotlin client (src/main/kotlin/); with --lang swift, a Swift
             package (Package.swift, Sources/). Nothing is written when the
             spec has errors; files without pims-codegen's @generated header
             are never replaced or removed, symlinks in DIR are never
             followed; generated files that no longer belong are removed. DIR
             holds the old output or the new one, whole, even after a failure
             or a kill.
  docs       Write the reference book (an mdBook: book.toml, src/) to DIR,
             with the same guards as `generate`. With --changes-from, its
             Changes page also says what changed since that spec (a folder,
             or a git revision of SPEC_DIR).
  diff       Compare two specs: each change with its id, what it does on the
             wire and to the generated crate's semver (`diff --help`).
  new        Write the scaffold of a new api file (pims.vehicle.tirepressure),
             or add an operation to an api (pims.vehicle.tirepressure#pressure),
             that `check` accepts.
  explain    Say what a diagnostic code checks, with a failing and a fixed
             example; without CODE, list every code.
  import     Turn the SDK's reference data (sdk-data/*.yml) into a spec
             folder that `check` accepts; print what was repaired or
             guessed, one warning per line with its line in the data.
             SPEC_DIR must not exist or be empty.
  schema     Print the JSON Schema of one kind of spec file (--kind manifest:
             pims.yaml; --kind api: every other file), or write it (without
             --kind: both) to DIR as pims-manifest.schema.json and
             pims-api.schema.json, with the same guards as `generate`.
  openapi    Write an OpenAPI document (JSON) of the spec to FILE: 3.0.3 by
             default, 3.1.0 with --openapi-version 3.1. FILE is replaced only when
             it carries the @generated header.
  diff       Compare two specs: every change, classified for the wire and
             for the generated crate; a semver gate for pipelines.

Options:
  --format FORMAT      human (default), json (one object per line), github
                       (workflow annotations) or sarif (one SARIF 2.1.0 log)
  --color WHEN         auto (default: on a terminal, unless NO_COLOR is set),
                       always or never
  --deny-warnings      treat warnings as errors
  --runtime-path PATH  depend on the pims-runtime checkout at PATH (written
                       relative to DIR) instead of the copy written in
                       DIR/pims-runtime (the default: the crate builds anywhere)
  --runtime-version REQ
                       depend on pims-runtime REQ from the registry instead
  --name NAME          the generated crate's name (default: pims-sdk)
  --spec SPEC_DIR      for `new`: the spec folder (default: spec)
  --component TAG      for `new`: the api's component (default: the one its
                       sibling apis share)
  --verb VERB          for `new`: the operation's verb (default: get)
  --lang LANG          rust (default), kotlin or swift
  --package NAME       kotlin: the base package (default: pims.sdk);
                       swift: the package and module (default: PimsSdk)

Exit status: 0 fine, 1 spec errors, 2 usage or I/O problems.
";

/// Exit codes.
const OK: u8 = 0;
const SPEC_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

/// The commands, for `help COMMAND` and did-you-mean: name and usage line.
const COMMANDS: &[(&str, &str)] = &[
    (
        "check",
        "pims-codegen check SPEC_DIR|SPEC_FILE [--format FORMAT] [--deny-warnings]",
    ),
    (
        "generate",
        "pims-codegen generate SPEC_DIR --out DIR [--name NAME] [--runtime-path PATH | --runtime-version REQ]",
    ),
    (
        "docs",
        "pims-codegen docs SPEC_DIR --out DIR [--changes-from OLD_DIR|REV]",
    ),
    (
        "new",
        "pims-codegen new API[#OPERATION] [--spec SPEC_DIR] [--component TAG] [--verb get|set|subscribe]",
    ),
    ("explain", "pims-codegen explain [CODE]"),
    ("import", "pims-codegen import DATA_FILE --out SPEC_DIR"),
    (
        "schema",
        "pims-codegen schema --kind manifest|api [--out DIR] | --out DIR",
    ),
    (
        "diff",
        "pims-codegen diff OLD_DIR NEW_DIR | --base REV SPEC_DIR (see `pims-codegen diff --help`)",
    ),
    ("help", "pims-codegen help [COMMAND]"),
];

/// The long options, for did-you-mean.
const OPTIONS: &[&str] = &[
    "format",
    "color",
    "deny-warnings",
    "out",
    "runtime-path",
    "runtime-version",
    "name",
    "spec",
    "component",
    "verb",
    "changes-from",
    "kind",
    "openapi-version",
    "help",
    "version",
];

#[derive(Debug)]
enum Command {
    Check {
        dir: PathBuf,
        /// Given a file: only its diagnostics are shown.
        file: Option<PathBuf>,
    },
    Generate {
        dir: PathBuf,
        out: PathBuf,
        runtime: RuntimeChoice,
        name: String,
        target: Target,
    },
    Schema {
        kind: Option<FileKind>,
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
    Openapi {
        dir: PathBuf,
        out: PathBuf,
        version: emit::openapi::Version,
    },
    New {
        spec: PathBuf,
        target: String,
        component: Option<String>,
        verb: pims_codegen::spec::Verb,
    },
    Explain {
        code: Option<String>,
    },
    Help {
        command: Option<String>,
    },
    Version,
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
    style: diag::Style,
    deny_warnings: bool,
}

/// A usage error: what is wrong, with the fix in the same line.
fn usage(message: impl Into<String>) -> lexopt::Error {
    lexopt::Error::Custom(message.into().into())
}

/// `unknown option --fromat: did you mean --format?`
fn unknown_option(arg: &lexopt::Arg<'_>) -> lexopt::Error {
    match arg {
        lexopt::Arg::Long(name) => {
            let hint = diag::closest(name, OPTIONS.iter().copied())
                .map(|o| format!(": did you mean --{o}?"))
                .unwrap_or_else(|| ": see `pims-codegen help`".to_owned());
            usage(format!("unknown option --{name}{hint}"))
        }
        lexopt::Arg::Short(c) => usage(format!("unknown option -{c}: see `pims-codegen help`")),
        lexopt::Arg::Value(v) => usage(format!(
            "unexpected argument {}: see `pims-codegen help`",
            v.to_string_lossy()
        )),
    }
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut command: Option<String> = None;
    let mut positional: Vec<std::ffi::OsString> = Vec::new();
    let mut out = None;
    let mut runtime = RuntimeChoice::Copy;
    let mut name = "pims-sdk".to_owned();
    let mut lang = "rust".to_owned();
    let mut package: Option<String> = None;
    let mut format = Format::Human;
    let mut color = "auto".to_owned();
    let mut deny_warnings = false;
    let mut spec = None;
    let mut component = None;
    let mut verb = None;
    let mut version = false;
    let mut help = false;
    let mut changes_from = None;
    let mut kind = None;
    let mut openapi_version = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("format") => {
                let value = parser.value()?.string()?;
                format = match Format::NAMES.iter().find(|(n, _)| *n == value) {
                    Some((_, f)) => *f,
                    None => {
                        let names: Vec<&str> = Format::NAMES.iter().map(|(n, _)| *n).collect();
                        let hint = diag::closest(&value, names.iter().copied())
                            .map(|n| format!(" (did you mean `{n}`?)"))
                            .unwrap_or_default();
                        return Err(usage(format!(
                            "unknown format `{value}`{hint}: expected {}",
                            diag::one_of(&names)
                        )));
                    }
                }
            }
            Long("color") | Long("colour") => {
                color = parser.value()?.string()?;
                if !matches!(color.as_str(), "auto" | "always" | "never") {
                    return Err(usage(format!(
                        "unknown --color `{color}`: expected `auto`, `always` or `never`"
                    )));
                }
            }
            Long("deny-warnings") => deny_warnings = true,
            Long("out") | Short('o') => out = Some(PathBuf::from(parser.value()?)),
            Long("runtime-path") => {
                runtime = runtime.set(RuntimeChoice::Path(PathBuf::from(parser.value()?)))?
            }
            Long("runtime-version") => {
                runtime = runtime.set(RuntimeChoice::Version(parser.value()?.string()?))?
            }
            Long("name") => name = parser.value()?.string()?,
            Long("spec") => spec = Some(PathBuf::from(parser.value()?)),
            Long("component") => component = Some(parser.value()?.string()?),
            Long("verb") => {
                let value = parser.value()?.string()?;
                verb = Some(match value.as_str() {
                    "get" => pims_codegen::spec::Verb::Get,
                    "set" => pims_codegen::spec::Verb::Set,
                    "subscribe" => pims_codegen::spec::Verb::Subscribe,
                    _ => {
                        return Err(usage(format!(
                            "unknown verb `{value}`: expected `get`, `set` or `subscribe`"
                        )));
                    }
                })
            }
            Long("changes-from") => changes_from = Some(parser.value()?.string()?),
            Long("kind") => {
                let value = parser.value()?.string()?;
                kind = Some(FileKind::parse(&value).ok_or_else(|| {
                    let hint = diag::closest(&value, ["manifest", "api"])
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default();
                    usage(format!(
                        "unknown kind `{value}`{hint}: expected `manifest` or `api`"
                    ))
                })?);
            }
            Long("openapi-version") => openapi_version = Some(parser.value()?.string()?),
            Long("lang") => lang = parser.value()?.string()?,
            Long("package") => package = Some(parser.value()?.string()?),
            Long("help") | Short('h') => help = true,
            Long("version") | Short('V') => version = true,
            Value(v) if command.is_none() => command = Some(v.string()?),
            Value(v) => positional.push(v),
            other => return Err(unknown_option(&other)),
        }
    }
    let style = diag::Style {
        color: match color.as_str() {
            "always" => true,
            "never" => false,
            _ => {
                use std::io::IsTerminal as _;
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        },
    };
    let finish = |command| Args {
        command,
        format,
        style,
        deny_warnings,
    };
    if version {
        return Ok(finish(Command::Version));
    }
    if help || command.as_deref() == Some("help") {
        let topic = if help {
            command.filter(|c| c != "help")
        } else {
            positional.first().map(|p| p.to_string_lossy().into_owned())
        };
        return Ok(finish(Command::Help { command: topic }));
    }
    let Some(command) = command else {
        return Ok(finish(Command::Help { command: None }));
    };
    let usage_of = |cmd: &str| {
        COMMANDS
            .iter()
            .find(|(n, _)| *n == cmd)
            .map_or("", |(_, u)| *u)
    };
    let one = |positional: &mut Vec<std::ffi::OsString>,
               cmd: &str,
               what: &str|
     -> Result<PathBuf, lexopt::Error> {
        match positional.len() {
            1 => Ok(PathBuf::from(positional.remove(0))),
            0 => Err(usage(format!("`{cmd}` needs {what}: {}", usage_of(cmd)))),
            _ => Err(usage(format!(
                "`{cmd}` takes one {what}: {}",
                usage_of(cmd)
            ))),
        }
    };
    let need_out = |out: Option<PathBuf>, cmd: &str| {
        out.ok_or_else(|| usage(format!("`{cmd}` needs --out DIR: {}", usage_of(cmd))))
    };
    let command = match command.as_str() {
        "check" => {
            let given = one(
                &mut positional,
                "check",
                "the spec folder (or a file of it)",
            )?;
            match spec_root_of(&given) {
                Some((dir, file)) => Command::Check { dir, file },
                None => Command::Check {
                    dir: given,
                    file: None,
                },
            }
        }
        "generate" => {
            let dir = one(&mut positional, "generate", "the spec folder")?;
            let out = need_out(out, "generate")?;
            let target = match (lang.as_str(), package) {
                ("rust", None) => Target::Rust,
                ("rust", Some(_)) => {
                    return Err(usage(
                        "--package is for kotlin and swift; a crate is named with --name",
                    ));
                }
                ("kotlin", package) => {
                    let package =
                        package.unwrap_or_else(|| emit::kotlin::DEFAULT_PACKAGE.to_owned());
                    pims_codegen::naming::kotlin::valid_package(&package)
                        .map_err(|e| usage(format!("--package {package}: {e}")))?;
                    Target::Kotlin { package }
                }
                ("swift", package) => {
                    let package =
                        package.unwrap_or_else(|| emit::swift::DEFAULT_PACKAGE.to_owned());
                    pims_codegen::naming::swift::valid_module(&package)
                        .map_err(|e| usage(format!("--package {package}: {e}")))?;
                    Target::Swift { package }
                }
                (other, _) => {
                    let hint = diag::closest(other, ["rust", "kotlin", "swift"])
                        .map(|l| format!(" (did you mean `{l}`?)"))
                        .unwrap_or_default();
                    return Err(usage(format!(
                        "unknown language `{other}`{hint}: expected `rust`, `kotlin` or `swift`"
                    )));
                }
            };
            if !matches!(target, Target::Rust) && runtime != RuntimeChoice::Copy {
                return Err(usage(
                    "--runtime-path and --runtime-version are for --lang rust",
                ));
            }
            Command::Generate {
                dir,
                out,
                runtime,
                name,
                target,
            }
        }
        "docs" => {
            let dir = one(&mut positional, "docs", "the spec folder")?;
            let out = need_out(out, "docs")?;
            Command::Docs {
                dir,
                out,
                changes_from,
            }
        }
        "import" => {
            let data = one(&mut positional, "import", "the data file")?;
            let out = out.ok_or_else(|| {
                usage(format!(
                    "`import` needs --out SPEC_DIR: {}",
                    usage_of("import")
                ))
            })?;
            Command::Import { data, out }
        }
        "new" => {
            let target = one(&mut positional, "new", "the api (pims.group.api)")?;
            Command::New {
                spec: spec.unwrap_or_else(|| PathBuf::from("spec")),
                target: target.to_string_lossy().into_owned(),
                component,
                verb: verb.unwrap_or(pims_codegen::spec::Verb::Get),
            }
        }
        "explain" => match positional.len() {
            0 => Command::Explain { code: None },
            1 => Command::Explain {
                code: Some(positional.remove(0).to_string_lossy().into_owned()),
            },
            _ => {
                return Err(usage(format!(
                    "`explain` takes one code: {}",
                    usage_of("explain")
                )));
            }
        },
        "schema" => {
            if !positional.is_empty() {
                return Err(usage(format!(
                    "`schema` takes no folder: {}",
                    usage_of("schema")
                )));
            }
            if kind.is_none() && out.is_none() {
                return Err(usage(
                    "`schema` needs --kind manifest|api (print one) or --out DIR (write both)",
                ));
            }
            Command::Schema { kind, out }
        }
        "openapi" => {
            let dir = one(&mut positional, "openapi", "the spec folder")?;
            let out = out.ok_or_else(|| {
                usage(format!(
                    "`openapi` needs --out FILE: {}",
                    usage_of("openapi")
                ))
            })?;
            let version = match openapi_version.as_deref() {
                None => emit::openapi::Version::default(),
                Some(v) => emit::openapi::Version::parse(v).ok_or_else(|| {
                    usage(format!(
                        "unknown OpenAPI version `{v}`: expected `3.0` or `3.1`"
                    ))
                })?,
            };
            Command::Openapi { dir, out, version }
        }
        other => {
            let hint = diag::closest(other, COMMANDS.iter().map(|(n, _)| *n))
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| {
                    let names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
                    format!("expected {}", diag::one_of(&names))
                });
            return Err(usage(format!("unknown command `{other}`: {hint}")));
        }
    };
    Ok(finish(command))
}

/// For a file inside a spec folder: the folder (the nearest one up that holds
/// `pims.yaml`) and the file. `None` for anything else (a folder is checked
/// as given).
fn spec_root_of(given: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    if !given.is_file() {
        return None;
    }
    let mut dir = given.parent();
    while let Some(d) = dir {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        if d.join(pims_codegen::load::MANIFEST).is_file() {
            return Some((d.to_path_buf(), Some(given.to_path_buf())));
        }
        dir = d.parent().filter(|p| *p != d);
        if d == Path::new(".") {
            break;
        }
    }
    None
}

fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == "diff") {
        return diff_command::run();
    }
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE_OR_IO);
        }
    };
    ExitCode::from(match args.command {
        Command::Help { ref command } => help(command.as_deref()),
        Command::Version => {
            println!("pims-codegen {}", env!("CARGO_PKG_VERSION"));
            OK
        }
        Command::Check { ref dir, ref file } => {
            let analysis = pims_codegen::analyze(dir);
            match file {
                Some(file) => report_file(&analysis, &args, dir, file),
                None => report(&analysis, &args, dir),
            }
        }
        Command::Generate {
            ref dir,
            ref out,
            ref runtime,
            ref name,
            ref target,
        } => match target {
            Target::Rust => generate(&args, dir, out, runtime, name),
            Target::Kotlin { package } | Target::Swift { package } => {
                generate_mobile(&args, dir, out, target, package)
            }
        },
        Command::Schema { kind, ref out } => schema(kind, out.as_deref()),
        Command::Import { ref data, ref out } => import(&args, data, out),
        Command::Docs {
            ref dir,
            ref out,
            ref changes_from,
        } => docs(&args, dir, out, changes_from.as_deref()),
        Command::New {
            ref spec,
            ref target,
            ref component,
            verb,
        } => new(&args, spec, target, component.as_deref(), verb),
        Command::Explain { ref code } => explain(code.as_deref()),
        Command::Openapi {
            ref dir,
            ref out,
            version,
        } => openapi(&args, dir, out, version),
    })
}

fn help(command: Option<&str>) -> u8 {
    match command {
        None => {
            print!("{USAGE}");
            OK
        }
        Some(name) => match COMMANDS.iter().find(|(n, _)| *n == name) {
            Some((_, line)) => {
                println!("usage: {line}\n\nRun `pims-codegen help` for every command and option.");
                OK
            }
            None => {
                let hint = diag::closest(name, COMMANDS.iter().map(|(n, _)| *n))
                    .map(|c| format!(": did you mean `{c}`?"))
                    .unwrap_or_default();
                eprintln!("error: no command `{name}`{hint}");
                USAGE_OR_IO
            }
        },
    }
}

/// Prints diagnostics where the format wants them: people's on stderr,
/// machine formats on stdout.
fn print_diagnostics(list: &[diag::Diagnostic], analysis: &Analysis, args: &Args) {
    let text = diag::render_styled(list, &analysis.sources, args.format, args.style);
    match args.format {
        Format::Human => eprint!("{text}"),
        Format::Json | Format::Github | Format::Sarif => print!("{text}"),
    }
}

/// Prints the diagnostics and a summary; returns the exit code they call for.
fn report(analysis: &Analysis, args: &Args, dir: &Path) -> u8 {
    let (errors, warnings) = analysis.diagnostics.counts();
    if let Some(io) = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == diag::Code::Io && analysis.spec.is_none())
    {
        let shown = diag::render_styled(
            std::slice::from_ref(io),
            &analysis.sources,
            Format::Human,
            args.style,
        );
        eprint!("{shown}");
        return USAGE_OR_IO;
    }
    let list = analysis.diagnostics.clone().sorted(&analysis.sources);
    print_diagnostics(&list, analysis, args);
    if args.format == Format::Human {
        eprintln!("{}", summary(analysis, dir, errors, warnings));
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        SPEC_ERRORS
    } else {
        OK
    }
}

/// `check FILE`: the diagnostics of that file; the exit code they call for.
fn report_file(analysis: &Analysis, args: &Args, dir: &Path, file: &Path) -> u8 {
    let same = |p: &Path| match (std::fs::canonicalize(p), std::fs::canonicalize(file)) {
        (Ok(a), Ok(b)) => a == b,
        _ => p == file,
    };
    let all = analysis.diagnostics.clone().sorted(&analysis.sources);
    let (mine, others): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|d| same(analysis.sources.path(d.loc.file)));
    print_diagnostics(&mine, analysis, args);
    let errors = mine
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .count();
    let warnings = mine.len() - errors;
    if args.format == Format::Human {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut line = format!(
            "{}: {}, {}",
            pims_codegen::source::display_path(file),
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        if !others.is_empty() {
            line.push_str(&format!(
                " ({} in other files of {}: `pims-codegen check {}` shows them)",
                others.len(),
                pims_codegen::source::display_path(dir),
                pims_codegen::source::display_path(dir)
            ));
        }
        eprintln!("{line}");
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

fn generate(args: &Args, dir: &Path, out: &Path, runtime: &RuntimeChoice, name: &str) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    let runtime = match runtime {
        RuntimeChoice::Copy => emit::RuntimeDep::Vendored,
        RuntimeChoice::Version(v) => emit::RuntimeDep::Version(v.clone()),
        RuntimeChoice::Path(p) => match relative_from(out, p) {
            Ok(rel) => emit::RuntimeDep::Path(rel),
            Err(e) => {
                eprintln!("error: --runtime-path {}: {e}", p.display());
                return USAGE_OR_IO;
            }
        },
    };
    // the crate's name is known: rustdoc examples can use it
    let settings = settings(dir).with_doc_crate(name);
    let command = "pims-codegen generate";
    let files = match emit::crate_files(&ir, &settings, command, name, &runtime) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("internal error: {e}");
            return USAGE_OR_IO;
        }
    };
    let owned = [
        Path::new("src"),
        Path::new("schemas"),
        Path::new(emit::runtime::DIR),
    ];
    let code = write_files(out, &files, &owned, command);
    if code == OK && runtime == emit::RuntimeDep::Vendored {
        return first_lockfile(out, name);
    }
    code
}

/// Writes the crate's `Cargo.lock` when it has none (see `emit::runtime`):
/// an existing one is the crate owner's and is never replaced.
fn first_lockfile(out: &Path, name: &str) -> u8 {
    use std::io::Write as _;
    let path = out.join("Cargo.lock");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let written = match file {
        Ok(mut file) => file.write_all(emit::runtime::lockfile(name).as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return OK,
        Err(e) => Err(e),
    };
    match written {
        Ok(()) => {
            eprintln!(
                "{}: written with the versions pims-codegen was tested with; it is yours from now on",
                pims_codegen::source::display_path(&path)
            );
            OK
        }
        Err(e) => {
            eprintln!("error: {}: {e}", pims_codegen::source::display_path(&path));
            USAGE_OR_IO
        }
    }
}

/// `target` as a path relative to the folder `from` (which may not exist yet).
fn relative_from(from: &Path, target: &Path) -> std::io::Result<String> {
    let target = std::fs::canonicalize(target)?;
    let cwd = std::env::current_dir()?;
    let from = cwd.join(from);
    // the deepest existing ancestor of `from`, canonical, plus the rest
    let mut existing = from.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(
            existing
                .file_name()
                .map(|n| n.to_owned())
                .unwrap_or_default(),
        );
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut from = std::fs::canonicalize(existing)?;
    from.extend(rest.iter().rev());
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = target.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    rel.extend(&to[common..]);
    Ok(pims_codegen::source::display_path(&rel))
}

/// Where a generated crate's runtime comes from (`--runtime-path`, `--runtime-version`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum RuntimeChoice {
    /// The copy written beside the crate.
    Copy,
    /// A checkout, as given on the command line.
    Path(PathBuf),
    /// A registry version requirement.
    Version(String),
}

impl RuntimeChoice {
    fn set(self, other: RuntimeChoice) -> Result<RuntimeChoice, lexopt::Error> {
        match self {
            RuntimeChoice::Copy => Ok(other),
            _ => Err(usage(
                "--runtime-path and --runtime-version exclude each other: give one",
            )),
        }
    }
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
        Ok(files) => write_files(out, &files, &owned, command),
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

/// Writes generated files (see `output::write`; `command` made them) and
/// says what changed.
fn write_files(out: &Path, files: &emit::Files, owned: &[&Path], command: &str) -> u8 {
    match output::write(out, files, owned, command) {
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
    let command = "pims-codegen docs";
    let files =
        match emit::book::book_files_with_changes(&ir, &settings(dir), command, diff.as_ref()) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("internal error: {e}");
                return USAGE_OR_IO;
            }
        };
    write_files(out, &files, &[Path::new("src")], command)
}

/// Writes the OpenAPI document to `out`, with the guards of `generate`: an
/// existing file is replaced only when it carries the `@generated` header.
fn openapi(args: &Args, dir: &Path, out: &Path, version: emit::openapi::Version) -> u8 {
    let ir = match checked_ir(args, dir) {
        Ok(ir) => ir,
        Err(code) => return code,
    };
    let Some(file) = out.file_name() else {
        eprintln!("error: --out {}: not a file name", out.display());
        return USAGE_OR_IO;
    };
    let text = emit::openapi::file(&ir, version, &emit::header("pims-codegen openapi"));
    let files = emit::Files::from([(PathBuf::from(file), text)]);
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    write_files(folder, &files, &[], "pims-codegen openapi")
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

/// Prints one meta-schema, or writes the chosen ones (both by default) to `out`,
/// with the same guards as `generate`.
fn schema(kind: Option<FileKind>, out: Option<&Path>) -> u8 {
    const COMMAND: &str = "pims-codegen schema";
    let Some(out) = out else {
        if let Some(kind) = kind {
            print!("{}", emit::meta_schema_file(kind, COMMAND));
        }
        return OK;
    };
    let files: emit::Files = emit::meta_schema_files(COMMAND)
        .into_iter()
        .filter(|(name, _)| kind.is_none_or(|k| name.as_os_str() == k.file_name()))
        .collect();
    write_files(out, &files, &[], COMMAND)
}

/// `new API[#OPERATION]`: writes the scaffold, after checking that the spec
/// with it still checks (its own file clean).
fn new(
    args: &Args,
    spec_dir: &Path,
    target: &str,
    component: Option<&str>,
    verb: pims_codegen::spec::Verb,
) -> u8 {
    let analysis = pims_codegen::analyze(spec_dir);
    let Some(spec) = &analysis.spec else {
        eprint!("{}", analysis.render(Format::Human));
        eprintln!(
            "error: {} has no readable pims.yaml: pass the spec folder with --spec",
            pims_codegen::source::display_path(spec_dir)
        );
        return USAGE_OR_IO;
    };
    let api = target.split('#').next().unwrap_or(target);
    let existing = pims_codegen::load::expected_path(api)
        .map(|rel| spec_dir.join(rel))
        .filter(|p| p.is_file());
    let existing_text = match &existing {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("error: {}: {e}", pims_codegen::source::display_path(path));
                return USAGE_OR_IO;
            }
        },
        None => None,
    };
    let scaffold = match pims_codegen::scaffold::scaffold(
        spec,
        target,
        existing_text.as_deref(),
        component,
        verb,
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return USAGE_OR_IO;
        }
    };
    // what would be written must check: the spec's files, with this one
    let mut files: Vec<(PathBuf, Vec<u8>)> = analysis
        .sources
        .iter()
        .filter_map(|(_, s)| {
            let rel = s.path.strip_prefix(spec_dir).ok()?.to_path_buf();
            (rel != scaffold.path).then(|| (rel, s.text.clone().into_bytes()))
        })
        .collect();
    files.push((scaffold.path.clone(), scaffold.text.clone().into_bytes()));
    let after = pims_codegen::analyze_files(spec_dir, files);
    let target_file = spec_dir.join(&scaffold.path);
    let mine: Vec<diag::Diagnostic> = after
        .diagnostics
        .clone()
        .sorted(&after.sources)
        .into_iter()
        .filter(|d| after.sources.path(d.loc.file) == target_file.as_path())
        .filter(|d| d.severity == diag::Severity::Error)
        .collect();
    if !mine.is_empty() {
        eprint!(
            "{}",
            diag::render_styled(&mine, &after.sources, Format::Human, args.style)
        );
        eprintln!("error: the scaffold would not check: nothing written");
        return SPEC_ERRORS;
    }
    let shown = pims_codegen::source::display_path(&target_file);
    let written = if scaffold.created {
        target_file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                use std::io::Write as _;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target_file)
                    .and_then(|mut f| f.write_all(scaffold.text.as_bytes()))
            })
    } else {
        replace_file(&target_file, scaffold.text.as_bytes())
    };
    match written {
        Ok(()) => {
            eprintln!(
                "{shown}: {} operation `{}`; describe it, then `pims-codegen check {}`",
                if scaffold.created {
                    "written with"
                } else {
                    "added"
                },
                scaffold.operation,
                pims_codegen::source::display_path(spec_dir)
            );
            OK
        }
        Err(e) => {
            eprintln!("error: {shown}: {e}");
            USAGE_OR_IO
        }
    }
}

/// Replaces a spec file through a temporary file beside it, renamed over it.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.new", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `explain [CODE]`.
fn explain(code: Option<&str>) -> u8 {
    let Some(name) = code else {
        print!("{}", pims_codegen::explain::index());
        return OK;
    };
    match diag::Code::find(name) {
        Some(code) => {
            print!("{}", pims_codegen::explain::page(code));
            OK
        }
        None => {
            let names = diag::Code::ALL
                .iter()
                .flat_map(|c| [c.as_str(), c.slug()])
                .collect::<Vec<_>>();
            let hint = diag::closest(name, names.iter().copied())
                .map(|c| format!(": did you mean `{c}`?"))
                .unwrap_or_else(|| ": `pims-codegen explain` lists them".to_owned());
            eprintln!("error: no diagnostic code `{name}`{hint}");
            USAGE_OR_IO
        }
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
