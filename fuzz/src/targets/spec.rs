//! The spec target: a spec folder, in memory, through load, check, lower and
//! every emitter; diagnostics rendered in every format.
//!
//! What must hold, for any bytes:
//! - nothing panics (not even on a thread the generator joins itself);
//! - a refused spec says why (an error), and every diagnostic names a file
//!   that was read and a place inside it; JSON diagnostics are JSON objects;
//! - for a spec that checks clean, every emitter succeeds (`emit::crate_files`,
//!   which holds `emit::sdk_files` and the schemas, `emit::inline`,
//!   `emit::book::book_files`, `emit::meta_schema_file`), and what they produce
//!   is well formed: every `.rs` file and the macro's expansion parse
//!   (re-parsed from the text written, headers included), rustdoc's compiled
//!   code blocks parse and are the generator's own examples, generated Rust
//!   holds no character rustc refuses (a bare CR, a bidi control), JSON files
//!   and the book's JSON samples parse, the book's Rust samples parse, and
//!   the book holds no mdBook directive;
//! - in a deep run (sampled while fuzzing, always on replay), emitting twice
//!   gives the same bytes.

use std::collections::BTreeSet;
use std::path::Path;

use pims_codegen::diag::{self, Format};
use pims_codegen::emit::{self, Files, RuntimeDep};

use crate::guard::{Failure, Kind};
use crate::input::SpecInput;

/// What one spec input did, for the statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecStats {
    /// Whether it checked clean (and so went through every emitter).
    pub clean: bool,
    /// The diagnostic codes it produced.
    pub codes: BTreeSet<&'static str>,
}

/// The command the emitters name in their headers.
const COMMAND: &str = "pims-fuzz";
/// The crate the emitted files are for.
const CRATE: &str = "fuzzed-sdk";

/// Runs `input` through everything; `deep` adds the determinism checks.
pub fn run(input: &SpecInput, deep: bool) -> Result<SpecStats, Failure> {
    let analysis = pims_codegen::analyze_files(Path::new(&input.root), input.files.clone());
    let mut stats = SpecStats {
        clean: false,
        codes: analysis
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect(),
    };
    diagnostics(&analysis)?;
    refusals(&analysis)?;
    let Some(ir) = analysis.ir() else {
        if !analysis.diagnostics.has_errors() {
            return Err(invariant(
                "refused without an error",
                "the analysis gave no IR and no error",
            ));
        }
        return Ok(stats);
    };
    stats.clean = true;

    let named = ir;
    let settings = emit::Settings::new(&input.root).with_doc_crate(CRATE);
    let runtime = RuntimeDep::Vendored;
    let files = emit::crate_files(named, &settings, COMMAND, CRATE, &runtime)
        .map_err(|e| Failure::new(Kind::Emitter, "emit::crate_files", e))?;
    check_files(&files, settings.doc_crate.as_deref())?;

    let unnamed = emit::Settings::new(&input.root).with_schemars(emit::Schemars::Never);
    let tokens = emit::inline(ir, &unnamed);
    if let Err(e) = syn::parse2::<syn::File>(tokens) {
        return Err(Failure::new(
            Kind::Unparseable,
            "emit::inline (the macro's expansion)",
            e.to_string(),
        ));
    }

    let book = emit::book::book_files(named, &settings, COMMAND)
        .map_err(|e| Failure::new(Kind::Emitter, "emit::book::book_files", e))?;
    check_book(&book)?;

    if deep {
        for (_, meta) in emit::meta_schema_files(COMMAND) {
            serde_json::from_str::<serde_json::Value>(&meta).map_err(|e| {
                Failure::new(Kind::Invariant, "emit::meta_schema_files", e.to_string())
            })?;
        }
        emit::kotlin::files(named, &settings, COMMAND, emit::kotlin::DEFAULT_PACKAGE)
            .map_err(|e| Failure::new(Kind::Emitter, "emit::kotlin::files", e))?;
        emit::swift::package_files(named, &settings, COMMAND, emit::swift::DEFAULT_PACKAGE)
            .map_err(|e| Failure::new(Kind::Emitter, "emit::swift::package_files", e))?;
        for version in [emit::openapi::Version::V3_0, emit::openapi::Version::V3_1] {
            let doc = emit::openapi::file(named, version, &emit::header(COMMAND));
            serde_json::from_str::<serde_json::Value>(&doc).map_err(|e| {
                Failure::new(
                    Kind::Invariant,
                    "emit::openapi::file is JSON",
                    e.to_string(),
                )
            })?;
        }
        let sdk = emit::sdk_files(named, &settings, COMMAND)
            .map_err(|e| Failure::new(Kind::Emitter, "emit::sdk_files", e))?;
        for (path, text) in &sdk {
            if files.get(path) != Some(text) {
                return Err(invariant(
                    "emitting twice gives the same bytes",
                    format!(
                        "a file differs between emit::sdk_files and emit::crate_files\n{}",
                        path.display()
                    ),
                ));
            }
        }
        let again = emit::book::book_files(named, &settings, COMMAND)
            .map_err(|e| Failure::new(Kind::Emitter, "emit::book::book_files", e))?;
        if again != book {
            return Err(invariant(
                "emitting twice gives the same bytes",
                "the book differs between two runs",
            ));
        }
        let reanalysed = pims_codegen::analyze_files(Path::new(&input.root), input.files.clone());
        if reanalysed.ir() != Some(ir) {
            return Err(invariant(
                "analysing twice gives the same IR",
                "the IR differs between two runs",
            ));
        }
    }
    Ok(stats)
}

fn invariant(name: &str, message: impl Into<String>) -> Failure {
    Failure::new(Kind::Invariant, name, message)
}

/// Renders the diagnostics in every format and checks where they point.
fn diagnostics(analysis: &pims_codegen::Analysis) -> Result<(), Failure> {
    let list = analysis.diagnostics.clone().sorted(&analysis.sources);
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        let text = diag::render(&list, &analysis.sources, format);
        if format == Format::Json {
            for line in text.lines() {
                match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(serde_json::Value::Object(_)) => {}
                    _ => {
                        return Err(invariant(
                            "JSON diagnostics are JSON objects",
                            format!(
                                "not a JSON object: {}",
                                line.chars().take(120).collect::<String>()
                            ),
                        ));
                    }
                }
            }
            if text.lines().count() != list.len() {
                return Err(invariant(
                    "JSON diagnostics are one per line",
                    format!(
                        "{} lines for {} diagnostics",
                        text.lines().count(),
                        list.len()
                    ),
                ));
            }
        }
    }
    for d in &list {
        let mut locs = vec![d.loc];
        locs.extend(d.notes.iter().map(|(loc, _)| *loc));
        for loc in locs {
            let Some(source) = analysis.sources.get(loc.file) else {
                return Err(invariant(
                    "a diagnostic names a file that was read",
                    format!(
                        "{} {}: file id {} is not a source",
                        d.code.as_str(),
                        d.message,
                        loc.file.0
                    ),
                ));
            };
            if loc.line == 0 {
                continue;
            }
            // lines as YAML (and the source index) count them: `\r\n`, `\r` and
            // `\n` each end one; a text ending in a break opens one more
            let lines = pims_codegen::source::lines(&source.text).count()
                + usize::from(source.text.ends_with(['\n', '\r']) || source.text.is_empty());
            if loc.line as usize > lines {
                return Err(invariant(
                    "a diagnostic points inside its file",
                    format!(
                        "a diagnostic is below the last line of its file\n{} at line {} of a file of {lines} lines",
                        d.code.as_str(),
                        loc.line
                    ),
                ));
            }
            let width = source.line(loc.line).map_or(0, |l| l.chars().count());
            if loc.col as usize > width + 1 {
                return Err(invariant(
                    "a diagnostic points inside its file",
                    format!(
                        "a diagnostic is past the end of its line\n{} at {}:{}, a line of {width} characters",
                        d.code.as_str(),
                        loc.line,
                        loc.col
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A refusal of a valid spec: two distinct integers of an enumeration whose
/// generated variants collide although the spec named neither (the naming,
/// not the spec, is at fault: `1` and `-1` must not both become `_1`).
fn refusals(analysis: &pims_codegen::Analysis) -> Result<(), Failure> {
    for d in analysis.diagnostics.iter() {
        if d.code != diag::Code::NameCollision {
            continue;
        }
        let quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
        let [a, b, variant, ..] = quoted.as_slice() else {
            continue;
        };
        let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
            continue;
        };
        let automatic = pims_codegen::naming::variant(a) == *variant
            && pims_codegen::naming::variant(b) == *variant;
        if x != y && automatic {
            return Err(invariant(
                "distinct integers get distinct variants",
                format!("a valid spec is refused: {}", d.message),
            ));
        }
    }
    Ok(())
}

/// The role of a generated file, for failure signatures: the same bug in two
/// api modules is one finding.
fn role(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let generated = path.parent() == Some(Path::new(emit::GENERATED_DIR));
    match name.as_str() {
        "lib.rs" if path == Path::new("src/lib.rs") => name,
        "error.rs" | "types.rs" if generated => name,
        "Cargo.toml" | "book.toml" | "SUMMARY.md" => name,
        "mod.rs" if generated => "generated/mod.rs".into(),
        "mod.rs" => "a group's mod.rs".into(),
        _ if name.ends_with(".parameters.schema.json") => "a parameters schema".into(),
        _ if name.ends_with(".message.schema.json") => "a message schema".into(),
        _ if name.ends_with(".rs") => "an api module".into(),
        _ if name.ends_with(".md") => "a book page".into(),
        _ => name,
    }
}

/// Characters rustc refuses in source (bidi controls: the deny-by-default
/// `text_direction_codepoint_*` lints).
const BIDI: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

fn check_files(files: &Files, doc_crate: Option<&str>) -> Result<(), Failure> {
    for (path, text) in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "rs" => check_rust(path, text, doc_crate)?,
            "json" => {
                serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
                    Failure::new(
                        Kind::Invariant,
                        format!("JSON parses: {}", role(path)),
                        e.to_string(),
                    )
                })?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_rust(path: &Path, text: &str, doc_crate: Option<&str>) -> Result<(), Failure> {
    let place = role(path);
    // the header names the spec file on one line, whatever the folder's path holds
    if let Some(start) = text.find("\n// Source: ") {
        let line = text[start + 1..].split('\n').next().unwrap_or("");
        if line.contains('\r') || !line.ends_with(".yaml") {
            return Err(Failure::new(
                Kind::Invariant,
                "the `// Source:` header is one line",
                format!("the header line breaks\nin {}: {line:?}", path.display()),
            ));
        }
    }
    let file = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        Failure::new(
            Kind::Unparseable,
            &place,
            format!("{e}\nat {}:{}:{}", path.display(), at.line, at.column + 1),
        )
    })?;
    if let Some(at) = text.find(|c| BIDI.contains(&c)) {
        return Err(Failure::new(
            Kind::Invariant,
            format!("no bidi control in generated Rust: {place}"),
            format!(
                "generated Rust holds a bidi control character\nin {}: {:?} at byte {at}",
                path.display(),
                text[at..].chars().next().unwrap_or(' ')
            ),
        ));
    }
    if let Some(at) = text
        .match_indices('\r')
        .map(|(i, _)| i)
        .find(|&i| !text[i + 1..].starts_with('\n'))
    {
        return Err(Failure::new(
            Kind::Invariant,
            format!("no bare CR in generated Rust: {place}"),
            format!(
                "generated Rust holds a bare CR\nin {} at byte {at}",
                path.display()
            ),
        ));
    }
    crate::rustdoc::check(&file, doc_crate).map_err(|(kind, message)| {
        Failure::new(kind, format!("rustdoc of {place}"), {
            // the class first (the signature reads the first line), then where
            let (first, rest) = message.split_once('\n').unwrap_or((&message, ""));
            format!(
                "{first}\nin {}{}{rest}",
                path.display(),
                if rest.is_empty() { "" } else { ", " }
            )
        })
    })
}

fn check_book(book: &Files) -> Result<(), Failure> {
    for (path, text) in book {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let place = role(path);
        if let Some(at) = text.find("{{#") {
            let line = text[..at].matches('\n').count() + 1;
            return Err(Failure::new(
                Kind::Invariant,
                format!("no mdBook directive in the book: {place}"),
                format!("the book holds `{{{{#`\nat {}:{line}", path.display()),
            ));
        }
        for block in crate::rustdoc::fences(text) {
            let info = block.info.split([',', ' ']).next().unwrap_or("");
            match info {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&block.text).map_err(|e| {
                        Failure::new(
                            Kind::Invariant,
                            format!("the book's JSON samples parse: {place}"),
                            format!("{e}\nat {}:{}", path.display(), block.line),
                        )
                    })?;
                }
                "rust" => {
                    let wrapped = format!("async fn sample() {{\n{}\n}}", block.text);
                    syn::parse_file(&wrapped).map_err(|e| {
                        Failure::new(
                            Kind::Unparseable,
                            format!("the book's Rust sample: {place}"),
                            format!("{e}\nat {}:{}", path.display(), block.line),
                        )
                    })?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}
