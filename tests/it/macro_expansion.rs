//! The proc-macro expands the same code as `cargo xtask codegen` writes.

use std::path::{Path, PathBuf};

use pims_runtime::Operation;

mod via_macro {
    pims_macros::sdk!("../spec", schemars = "feature");
}

/// The spec written from the docs alone, compiled with the workspace's lints.
mod good {
    pims_macros::sdk!("specs/good");
}

/// The generated files reassembled into one stream of inline modules.
fn reassemble(files: &pims_codegen::emit::Files, dir: &Path) -> proc_macro2::TokenStream {
    let mod_rs = dir.join("mod.rs");
    let text = files
        .get(&mod_rs)
        .unwrap_or_else(|| panic!("{} is generated", mod_rs.display()));
    inline_file(files, dir, text, true)
}

fn inline_file(
    files: &pims_codegen::emit::Files,
    dir: &Path,
    text: &str,
    root: bool,
) -> proc_macro2::TokenStream {
    let file: syn::File = syn::parse_str(text).expect("generated code parses");
    let mut out = proc_macro2::TokenStream::new();
    for item in file.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let name = m.ident.unraw().to_string();
                let (child_dir, text) = match files.get(&dir.join(&name).join("mod.rs")) {
                    Some(text) => (dir.join(&name), text),
                    None => (
                        dir.to_path_buf(),
                        files
                            .get(&dir.join(format!("{name}.rs")))
                            .expect("module file"),
                    ),
                };
                let child_dir = if child_dir == dir {
                    dir.join(&name)
                } else {
                    child_dir
                };
                let inner = inline_file(files, &child_dir, text, false);
                let vis = &m.vis;
                let ident = &m.ident;
                out.extend(quote::quote!(#vis mod #ident { #inner }));
            }
            other => out.extend(quote::ToTokens::into_token_stream(other)),
        }
    }
    if root {
        out
    } else {
        let attrs = file.attrs;
        quote::quote!(#(#attrs)* #out)
    }
}

use syn::ext::IdentExt as _;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    prettyplease::unparse(&syn::parse2::<syn::File>(tokens).expect("parses"))
}

/// Drops every `#[doc]` attribute (outer and inner) from a token stream.
fn without_docs(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let mut out = proc_macro2::TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let mut lookahead = iter.clone();
                let bang =
                    matches!(lookahead.peek(), Some(TokenTree::Punct(b)) if b.as_char() == '!');
                if bang {
                    lookahead.next();
                }
                let is_doc = matches!(lookahead.peek(), Some(TokenTree::Group(g))
                    if g.stream().into_iter().next().is_some_and(|t| t.to_string() == "doc"));
                if is_doc {
                    if bang {
                        iter.next();
                    }
                    iter.next();
                    continue;
                }
                out.extend([TokenTree::Punct(p)]);
            }
            TokenTree::Group(g) => {
                let mut inner = proc_macro2::Group::new(g.delimiter(), without_docs(g.stream()));
                inner.set_span(g.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

fn generated_sdk(files: &pims_codegen::emit::Files) -> pims_codegen::emit::Files {
    files
        .iter()
        .filter_map(|(p, t)| {
            p.strip_prefix("generated-sdk")
                .ok()
                .map(|p| (p.to_path_buf(), t.clone()))
        })
        .collect()
}

/// The macro expands exactly what `sdk_files` writes for the same spec. The
/// files `cargo xtask codegen` checks in also carry rustdoc examples, which
/// name the crate (`pims_sdk`) and so cannot be in a macro's expansion: they
/// differ from it in documentation only.
#[test]
fn the_expansion_is_the_generated_files() {
    let root = crate::root();
    let analysis = pims_codegen::analyze(&root.join("spec"));
    let ir = analysis.ir().cloned().expect("spec/ checks");
    let sdk =
        pims_codegen::sdk_files(&ir, &crate::settings("spec"), xtask::COMMAND).expect("generates");
    let from_files = reassemble(&sdk, &PathBuf::from(pims_codegen::emit::GENERATED_DIR));
    let (expansion, read) =
        pims_codegen::expand(&root.join("spec"), &crate::settings("spec")).expect("spec/ checks");
    assert_eq!(pretty(expansion.clone()), pretty(from_files));

    let checked_in = generated_sdk(&xtask::files(&root).expect("spec/ checks"));
    let from_checked_in = reassemble(
        &checked_in,
        &PathBuf::from(pims_codegen::emit::GENERATED_DIR),
    );
    assert_eq!(
        pretty(without_docs(expansion)),
        pretty(without_docs(from_checked_in))
    );
    assert!(
        read.iter().any(|p| p.ends_with("pims.yaml")),
        "the macro watches the manifest"
    );
    assert!(
        read.iter()
            .any(|p| p.ends_with("authentication/smscode.yaml")),
        "and the api files"
    );
}

#[test]
fn the_macro_and_the_checked_in_sdk_behave_alike() {
    let a = via_macro::authentication::smscode::PhoneNumberCertification::new("0612345678");
    let b = pims_sdk::authentication::smscode::PhoneNumberCertification::new("0612345678");
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap()
    );
    assert_eq!(
        via_macro::authentication::smscode::PhoneNumberCertification::SELECTOR,
        pims_sdk::authentication::smscode::PhoneNumberCertification::SELECTOR
    );
    assert_eq!(
        serde_json::to_value(pims_runtime::schemars::schema_for!(
            via_macro::authentication::smscode::ValidateEnrollmentCodeResult
        ))
        .unwrap(),
        serde_json::to_value(pims_runtime::schemars::schema_for!(
            pims_sdk::authentication::smscode::ValidateEnrollmentCodeResult
        ))
        .unwrap(),
    );
    assert_eq!(
        via_macro::Error::SmsCodeExpired.code(),
        pims_sdk::Error::SmsCodeExpired.code()
    );
}
