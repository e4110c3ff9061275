//! Emitters: the IR to files. Each emitter reads only the IR.
//!
//! - [`rust`]: the module tree of the SDK, formatted with prettyplease.
//! - [`schema`]: two JSON Schemas per operation.
//! - [`docs`]: the rustdoc text of generated items.
//! - [`book`]: the reference as an mdBook (a page per operation and component, the catalogue).
//!
//! Every file starts with an `@generated` header naming the command that made
//! it; output is a `BTreeMap`, so its order never depends on the input's.

pub mod book;
pub mod docs;
mod markdown;
pub mod rust;
pub mod schema;

use std::collections::BTreeMap;
use std::path::PathBuf;

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
}

impl Settings {
    /// Files shown as coming from `source_root`, with no doc crate.
    pub fn new(source_root: &str) -> Self {
        Settings {
            source_root: printable(source_root.trim_end_matches('/')),
            doc_crate: None,
        }
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

/// The first line of a generated file.
pub fn header(command: &str) -> String {
    format!("{MARKER} by `{command}`; do not edit.")
}

/// Where the generated Rust modules go in a crate.
pub const GENERATED_DIR: &str = "src/generated";

/// The SDK's generated files: `src/generated/**.rs` and `schemas/**.json`.
pub fn sdk_files(ir: &Ir, settings: &Settings, command: &str) -> Result<Files, String> {
    let header = header(command);
    let mut files = Files::new();
    let tree = rust::tree(ir, settings);
    write_module(
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

/// The meta-schema of spec files, with the generated header.
pub fn meta_schema_file(command: &str) -> String {
    let mut out = serde_json::Map::new();
    out.insert("$comment".into(), header(command).into());
    if let serde_json::Value::Object(schema) = crate::spec::meta_schema() {
        out.extend(schema);
    }
    json(&serde_json::Value::Object(out))
}

/// Pretty JSON with a final newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `module` as `dir/mod.rs` (when it has children, or is the root) or `dir.rs`.
fn write_module(
    module: &rust::RustModule,
    dir: &std::path::Path,
    root: bool,
    header: &str,
    files: &mut Files,
) -> Result<(), String> {
    let decls = module.children.iter().map(|c| {
        let name = ident(&c.name);
        if c.public {
            quote!(pub mod #name;)
        } else {
            quote!(mod #name;)
        }
    });
    let items = &module.items;
    let tokens = quote! {
        #(#decls)*
        #items
    };
    let text = format_file(header, module.source.as_deref(), &module.doc, tokens)?;
    let path = if root || !module.children.is_empty() {
        dir.join("mod.rs")
    } else {
        dir.with_extension("rs")
    };
    files.insert(path, text);
    for child in &module.children {
        write_module(
            child,
            &dir.join(naming::rust::module_file(&child.name)),
            false,
            header,
            files,
        )?;
    }
    Ok(())
}

fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// The module tree as one token stream of inline modules: what the proc-macro expands to.
pub fn inline(ir: &Ir, settings: &Settings) -> TokenStream {
    inline_module(&rust::tree(ir, settings), true)
}

fn inline_module(module: &rust::RustModule, root: bool) -> TokenStream {
    let docs = module.doc.iter().map(|l| {
        let l = format!(" {l}");
        quote!(#![doc = #l])
    });
    let children = module.children.iter().map(|c| inline_module(c, false));
    let items = &module.items;
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
    let mut text = format!("// {header}\n");
    if let Some(source) = source {
        text.push_str(&format!("// Source: {source}\n"));
    }
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}

/// How a standalone generated crate depends on `pims-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// From crates.io.
    Version(String),
    /// A local checkout.
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
        RuntimeDep::Version(v) => format!("{v:?}"),
        RuntimeDep::Path(p) => format!("{{ path = {} }}", toml_string(p)),
    };
    let cargo = format!(
        "# {header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\ndescription = {description}\npublish = false\n\n[dependencies]\npims-runtime = {dep}\n\n[features]\n# `schemars::JsonSchema` on every type (the JSON Schemas are in schemas/ either way)\nschemars = [\"pims-runtime/schemars\"]\n\n# a crate of its own, even when generated inside another workspace\n[workspace]\n",
        header = header(command),
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
