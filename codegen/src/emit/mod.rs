//! Emitters: the IR to files. Each emitter reads only the IR.
//!
//! - [`rust`]: the module tree of the SDK, formatted with prettyplease.
//! - [`schema`]: two JSON Schemas per operation.
//! - [`docs`]: the rustdoc text of generated items.
//! - [`book`]: the reference as an mdBook (a page per operation and component, the catalogue).
//! - [`openapi`]: an OpenAPI 3.0 / 3.1 export of the contract, for OpenAPI tooling.
//!
//! Every file starts with this generator's `@generated` header ([`header`],
//! written as its [`Kind`] comments), naming the command that regenerates it;
//! output is a `BTreeMap`, so its order never depends on the input's.

pub mod book;
pub mod docs;
pub mod kotlin;
mod markdown;
pub mod mobile;
pub mod openapi;
pub mod regex;
pub mod runtime;
pub mod rust;
pub mod schema;
pub mod simulator;
pub mod swift;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;
use crate::naming;

/// How the generated files are shown and compiled: decided by the caller
/// (the CLI, the xtask, the macro), never by the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The spec folder as shown in generated comments and docs (`spec`),
    /// with control and bidi characters escaped.
    pub source_root: String,
    /// The crate the generated code is compiled in, when it is known (files
    /// for a crate, not a macro expansion): rustdoc examples need its name.
    pub doc_crate: Option<String>,
    /// When data types derive `schemars::JsonSchema`.
    pub schemars: Schemars,
    /// When the crate carries its contract and `simulator()` ([`simulator`]).
    pub simulator: Simulator,
}

/// When generated data types derive `schemars::JsonSchema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schemars {
    /// Under the compiling crate's `schemars` feature: what generated crates
    /// do (they declare the feature). The default.
    Feature,
    /// Always (the crate enables `pims-runtime/schemars`).
    Always,
    /// Never: what the macro expands to unless asked, so that it is
    /// warning-free in a crate that declares no feature.
    Never,
}

/// When the generated code carries what the simulator and the validating
/// facade need: the contract as data, the catalogue as the simulator sends
/// it, and `simulator()` (see [`simulator`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simulator {
    /// Under the compiling crate's `simulator` feature: what generated
    /// crates do (they declare it, forwarding `pims-runtime/simulator`). The default.
    Feature,
    /// Always (the crate enables `pims-runtime/simulator`).
    Always,
    /// Never: what the macro expands to unless asked, so that it is
    /// warning-free in a crate that declares no feature.
    Never,
}

impl Settings {
    /// Files shown as coming from `source_root`, with no doc crate.
    pub fn new(source_root: &str) -> Self {
        Settings {
            source_root: printable(source_root.trim_end_matches('/')),
            doc_crate: None,
            schemars: Schemars::Feature,
            simulator: Simulator::Feature,
        }
    }

    /// The same, carrying the simulator's tables as `simulator` says.
    pub fn with_simulator(mut self, simulator: Simulator) -> Self {
        self.simulator = simulator;
        self
    }

    /// The same, deriving `JsonSchema` as `schemars` says.
    pub fn with_schemars(mut self, schemars: Schemars) -> Self {
        self.schemars = schemars;
        self
    }

    /// The same, for a crate named `name` (`pims-sdk`: examples use `pims_sdk`).
    pub fn with_doc_crate(mut self, name: &str) -> Self {
        self.doc_crate = Some(name.replace('-', "_"));
        self
    }

    /// `source_root/rel`, for comments and docs.
    pub fn source(&self, rel: &std::path::Path) -> String {
        format!(
            "{}/{}",
            self.source_root,
            printable(&crate::source::display_path(rel))
        )
    }
}

/// `text` on one line, with line breaks, tabs, control characters and bidi
/// controls escaped (`\n`, `\u{202e}`): safe in a one-line comment, in a
/// code span and in docs.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::check::is_hidden_char(c) || c == '\n' || c == '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The marker every generated file carries in its first line.
pub const MARKER: &str = "@generated";

/// Generated files, by path relative to the output folder.
pub type Files = BTreeMap<PathBuf, String>;

/// The header of a generated file, before its comment syntax: it names this
/// generator and the command that regenerates it.
pub fn header(command: &str) -> String {
    format!("{MARKER} by pims-codegen: do not edit; regenerate with `{command}`.")
}

/// The header as earlier builds of this generator wrote it: still recognised
/// (the exact line, for the same command), so their output is replaced and
/// removed like any other of ours.
fn previous_header(command: &str) -> String {
    format!("{MARKER} by `{command}`; do not edit.")
}

/// The kinds of file the emitters write, each with its own comment syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `*.rs`, and the mobile clients' `*.kt` and `*.swift`: `// HEADER` on
    /// the first line.
    Rust,
    /// `*.toml` (Cargo.toml, book.toml) and `*.lock` (the runtime's lockfile
    /// that `cargo xtask codegen` keeps): `# HEADER` on the first line.
    Toml,
    /// `*.md` (the book's pages and SUMMARY.md): `<!-- HEADER -->` on the first line.
    Markdown,
    /// `*.json` (schemas): `{` then `  "$comment": "HEADER",` as the first member.
    Json,
    /// `*.css` (the book's stylesheet): `/* HEADER */` on the first line.
    Css,
}

impl Kind {
    /// The kind of the file at `path`, by its extension; `None` for a kind
    /// this generator never writes (such a file is never ours).
    pub fn of(path: &Path) -> Option<Kind> {
        match path.extension()?.to_str()? {
            "rs" | "kt" | "swift" => Some(Kind::Rust),
            "toml" | "lock" => Some(Kind::Toml),
            "md" => Some(Kind::Markdown),
            "json" => Some(Kind::Json),
            "css" => Some(Kind::Css),
            _ => None,
        }
    }

    /// What a file of this kind starts with, exactly, when written with `header`.
    pub fn prefix(self, header: &str) -> String {
        match self {
            Kind::Rust => format!("// {header}\n"),
            Kind::Toml => format!("# {header}\n"),
            // an HTML comment that cannot be closed early
            Kind::Markdown => format!("<!-- {} -->\n", header.replace("-->", "-- >")),
            Kind::Json => format!("{{\n  \"$comment\": {},\n", serde_json::Value::from(header)),
            // a comment that cannot be closed early
            Kind::Css => format!("/* {} */\n", header.replace("*/", "* /")),
        }
    }
}

/// Whether `bytes`, found at `path`, were written by this generator for
/// `command`: they start with its exact header, as the emitters write it for
/// the file's kind (or as the previous version wrote it). A file that merely
/// mentions `@generated`, or another generator's, is not ours.
pub fn is_ours(path: &Path, bytes: &[u8], command: &str) -> bool {
    let Some(kind) = Kind::of(path) else {
        return false;
    };
    // a Swift package manifest must start with its tools version: the header
    // is its second line
    let bytes = match bytes.strip_prefix(b"// swift-tools-version") {
        Some(rest) if path.file_name().is_some_and(|n| n == "Package.swift") => {
            match rest.iter().position(|b| *b == b'\n') {
                Some(end) => &rest[end + 1..],
                None => return false,
            }
        }
        _ => bytes,
    };
    [header(command), previous_header(command)].iter().any(|h| {
        bytes.starts_with(kind.prefix(h).as_bytes())
            // an OpenAPI document admits no `$comment` at its root: its header
            // is the `x-generated` extension, in the same place
            || (kind == Kind::Json
                && bytes.starts_with(
                    format!("{{\n  \"x-generated\": {},\n", serde_json::Value::from(h.as_str()))
                        .as_bytes(),
                ))
    })
}

/// Where the generated Rust modules go in a crate.
pub const GENERATED_DIR: &str = "src/generated";

/// The SDK's generated files: `src/generated/**.rs` and `schemas/**.json`.
pub fn sdk_files(ir: &Ir, settings: &Settings, command: &str) -> Result<Files, String> {
    let header = header(command);
    let mut files = Files::new();
    let tree = rust::tree(ir, settings);
    write_module(
        ir,
        settings,
        &tree,
        &PathBuf::from(GENERATED_DIR),
        true,
        &header,
        &mut files,
    )?;
    for module in &ir.modules {
        for op in &module.operations {
            let dir = PathBuf::from("schemas").join(&module.api);
            let parameters = schema::parameters(ir, module, op, &header);
            let message = schema::message(ir, module, op, &header);
            files.insert(
                dir.join(format!("{}.parameters.schema.json", op.name)),
                json(&parameters),
            );
            files.insert(
                dir.join(format!("{}.message.schema.json", op.name)),
                json(&message),
            );
        }
    }
    Ok(files)
}

/// The meta-schema of one kind of spec file, with the generated header.
pub fn meta_schema_file(kind: crate::spec::FileKind, command: &str) -> String {
    let mut out = serde_json::Map::new();
    out.insert("$comment".into(), header(command).into());
    if let serde_json::Value::Object(schema) = crate::spec::meta_schema(kind) {
        out.extend(schema);
    }
    json(&serde_json::Value::Object(out))
}

/// The meta-schemas of both kinds of spec file, by file name
/// (`pims-manifest.schema.json`, `pims-api.schema.json`).
pub fn meta_schema_files(command: &str) -> Files {
    crate::spec::FileKind::ALL
        .into_iter()
        .map(|kind| {
            (
                PathBuf::from(kind.file_name()),
                meta_schema_file(kind, command),
            )
        })
        .collect()
}

/// Pretty JSON with a final newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// One file of an api's module, as plain data: what a worker thread needs
/// to produce and format it (tokens are `!Send`, so each worker makes its own).
struct Job {
    path: PathBuf,
    /// Child modules: name, whether `pub`.
    children: Vec<(String, bool)>,
    doc: Vec<String>,
    source: Option<String>,
    /// The api, in `Ir::modules`.
    api: usize,
}

/// Writes `module` as `dir/mod.rs` (when it has children, or is the root) or
/// `dir.rs`, and its children below. The modules of apis (all but a
/// handful) are produced and formatted on worker threads, one per core:
/// formatting is most of `generate`'s time. The files are the same whatever
/// the number of threads.
#[allow(clippy::too_many_arguments)]
fn write_module(
    ir: &Ir,
    settings: &Settings,
    module: &rust::RustModule,
    dir: &std::path::Path,
    root: bool,
    header: &str,
    files: &mut Files,
) -> Result<(), String> {
    let mut jobs = Vec::new();
    let mut own = Vec::new();
    collect(module, dir, root, &mut jobs, &mut own);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let jobs = &jobs;
    let (results, own_texts) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(w)
                        .step_by(workers)
                        .map(|(i, job)| (i, api_text(ir, settings, job, header)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // the modules that hold tokens of their own (the root, `error`,
        // `types`, `simulator`, …), here, meanwhile: tokens cannot cross threads
        let own_texts: Vec<(PathBuf, Result<String, String>)> =
            own.iter()
                .map(|(path, module)| {
                    let mut items = decls(&children_of(module));
                    items.extend(rust::items(ir, settings, module));
                    let text = format_file(header, module.source.as_deref(), &module.doc, items)
                        .map(|mut text| {
                            text.push_str(&module.text);
                            text
                        });
                    (path.clone(), text)
                })
                .collect();
        let results: Vec<Vec<(usize, Result<String, String>)>> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        (results, own_texts)
    });
    for (path, text) in own_texts {
        files.insert(path, text?);
    }
    let mut texts: Vec<(usize, Result<String, String>)> = results.into_iter().flatten().collect();
    texts.sort_by_key(|(i, _)| *i);
    for (i, text) in texts {
        files.insert(jobs[i].path.clone(), text?);
    }
    Ok(())
}

/// Lists the apis' modules as jobs, and the modules that hold tokens of
/// their own (the root, `error`, `types`, …) in `own`.
fn collect<'a>(
    module: &'a rust::RustModule,
    dir: &std::path::Path,
    root: bool,
    jobs: &mut Vec<Job>,
    own: &mut Vec<(PathBuf, &'a rust::RustModule)>,
) {
    let path = if root || !module.children.is_empty() {
        dir.join("mod.rs")
    } else {
        dir.with_extension("rs")
    };
    match module.api {
        Some(api) if module.items.is_empty() && module.text.is_empty() => jobs.push(Job {
            path,
            children: children_of(module),
            doc: module.doc.clone(),
            source: module.source.clone(),
            api,
        }),
        _ => own.push((path, module)),
    }
    for child in &module.children {
        let dir = dir.join(naming::rust::module_file(&child.name));
        collect(child, &dir, false, jobs, own);
    }
}

/// A module's children: name, whether `pub`.
fn children_of(module: &rust::RustModule) -> Vec<(String, bool)> {
    module
        .children
        .iter()
        .map(|c| (c.name.clone(), c.public))
        .collect()
}

/// `pub mod a;` / `mod b;` for each child.
fn decls(children: &[(String, bool)]) -> TokenStream {
    let decls = children.iter().map(|(name, public)| {
        let name = ident(name);
        if *public {
            quote!(pub mod #name;)
        } else {
            quote!(mod #name;)
        }
    });
    quote!(#(#decls)*)
}

/// An api module's file, made and formatted.
fn api_text(ir: &Ir, settings: &Settings, job: &Job, header: &str) -> Result<String, String> {
    let mut items = decls(&job.children);
    items.extend(rust::api_items_at(ir, settings, job.api));
    format_file(header, job.source.as_deref(), &job.doc, items)
}

use rust::ident;

/// The module tree as one token stream of inline modules: what the proc-macro expands to.
pub fn inline(ir: &Ir, settings: &Settings) -> TokenStream {
    inline_module(ir, settings, &rust::tree(ir, settings), true)
}

fn inline_module(
    ir: &Ir,
    settings: &Settings,
    module: &rust::RustModule,
    root: bool,
) -> TokenStream {
    let docs = module.doc.iter().map(|l| {
        let l = format!(" {l}");
        quote!(#![doc = #l])
    });
    let children = module
        .children
        .iter()
        .map(|c| inline_module(ir, settings, c, false));
    let mut items = rust::items(ir, settings, module);
    // the text a module carries unformatted is our own printing of
    // literals: it lexes, or the generator is wrong, which the expansion says
    items.extend(module.text.parse::<TokenStream>().unwrap_or_else(|e| {
        let message = format!("pims-codegen printed Rust that does not lex: {e}");
        quote!(::core::compile_error!(#message);)
    }));
    if root {
        quote! {
            #(#children)*
            #items
        }
    } else {
        let name = ident(&module.name);
        let vis = module.public.then(|| quote!(pub));
        quote! {
            #vis mod #name {
                #(#docs)*
                #(#children)*
                #items
            }
        }
    }
}

/// Formats one file: the header, the module docs, the items.
pub fn format_file(
    header: &str,
    source: Option<&str>,
    doc: &[String],
    items: TokenStream,
) -> Result<String, String> {
    let docs = doc.iter().map(|l| {
        let l = format!(" {l}");
        quote!(#![doc = #l])
    });
    let tokens = quote! {
        #(#docs)*
        #items
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut text = Kind::Rust.prefix(header);
    if let Some(source) = source {
        text.push_str(&format!("// Source: {source}\n"));
    }
    text.push_str(&spaced(&prettyplease::unparse(&file)));
    Ok(text)
}

/// prettyplease's output with a blank line between items (top-level ones,
/// and the members of an `impl`), and after the module docs; consecutive
/// `use` and `mod` lines stay together. Generated code has no multi-line
/// string literal (spec text is escaped), so lines are safe to read alone.
fn spaced(text: &str) -> String {
    fn grouped(line: &str) -> bool {
        ["use ", "pub use ", "mod ", "pub mod "]
            .iter()
            .any(|p| line.starts_with(p))
    }
    fn member_start(line: &str) -> bool {
        line.strip_prefix("    ").is_some_and(|rest| {
            ["///", "#[", "pub ", "fn ", "const ", "type "]
                .iter()
                .any(|p| rest.starts_with(p))
        })
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(last) = previous
            && !line.is_empty()
            && !last.is_empty()
        {
            let top = !line.starts_with([' ', '}', ')', ']']);
            let blank = (last == "}" && top)
                || (last.starts_with("//!") && !line.starts_with("//!"))
                || (top
                    && !last.starts_with([' ', '#', '/'])
                    && last.ends_with(';')
                    && !(grouped(last) && grouped(line)))
                || (last == "    }" && member_start(line));
            if blank {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// How a standalone generated crate depends on `pims-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A copy written beside the crate (`pims-runtime/`), by a relative path:
    /// the default (see [`runtime`]).
    Vendored,
    /// From a registry, at this version requirement.
    Version(String),
    /// A checkout elsewhere, at this path relative to the crate's folder.
    Path(String),
}

/// A complete crate: the SDK's files plus `Cargo.toml` and `src/lib.rs`.
pub fn crate_files(
    ir: &Ir,
    settings: &Settings,
    command: &str,
    name: &str,
    runtime: &RuntimeDep,
) -> Result<Files, String> {
    let mut files = sdk_files(ir, settings, command)?;
    let dep = match runtime {
        RuntimeDep::Vendored => {
            files.extend(runtime::files(command));
            format!("{{ path = {} }}", toml_string(runtime::DIR))
        }
        RuntimeDep::Version(v) => toml_string(v),
        RuntimeDep::Path(p) => format!("{{ path = {} }}", toml_string(p)),
    };
    let cargo = format!(
        "{header}[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\ndescription = {description}\npublish = false\n\n[dependencies]\npims-runtime = {dep}\n\n[features]\n# `schemars::JsonSchema` on every type (the JSON Schemas are in schemas/ either way)\nschemars = [\"pims-runtime/schemars\"]\n# `simulator()`, a simulated SDK for testing apps without a phone, and the contract it answers from\nsimulator = [\"pims-runtime/simulator\"]\n\n# a crate of its own, even when generated inside another workspace\n[workspace]\n",
        header = Kind::Toml.prefix(&header(command)),
        name = toml_string(name),
        description = toml_string(&format!("{} {} (generated)", ir.sdk_name, ir.sdk_version)),
    );
    files.insert(PathBuf::from("Cargo.toml"), cargo);
    let lib = format_file(
        &header(command),
        None,
        &[
            format!(
                "The {} {}, generated from its spec.",
                docs::inline(&ir.sdk_name),
                ir.sdk_version
            ),
            String::new(),
            "Calls go through `pims_runtime::Client` (or `pims_runtime::call`), with a `pims_runtime::Facade` for the host bridge.".to_owned(),
        ],
        quote! {
            #[rustfmt::skip]
            mod generated;
            pub use generated::*;
            pub use pims_runtime;
        },
    )?;
    files.insert(PathBuf::from("src/lib.rs"), lib);
    Ok(files)
}

/// A TOML basic string.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
