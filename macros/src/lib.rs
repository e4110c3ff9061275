//! `pims_macros::sdk!("spec")` expands, at compile time, the same code that
//! `cargo xtask codegen` writes to files.
//!
//! Architecture invariant: the macro has no logic of its own. It resolves the
//! path against `CARGO_MANIFEST_DIR`, calls [`pims_codegen::expand`], turns
//! spec errors into `compile_error!` carrying `file:line:col`, and includes
//! every spec file with `include_bytes!` so cargo rebuilds when one changes.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;

/// Expands the SDK described by the spec folder at the given path (relative to
/// the crate's `Cargo.toml`): one module per api, `types`, and `Error`.
///
/// The expansion uses `pims_runtime`, which the calling crate depends on; the
/// `JsonSchema` derives are under the calling crate's `schemars` feature.
///
/// ```
/// mod sdk {
///     pims_macros::sdk!("../spec");
/// }
/// use sdk::authentication::smscode::PhoneNumberCertification;
///
/// let parameters = pims_runtime::encode_parameters(&PhoneNumberCertification::new("0612345678"))?;
/// assert_eq!(parameters["type"], "phoneNumberCertification");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[proc_macro]
pub fn sdk(input: TokenStream) -> TokenStream {
    let literal = syn::parse_macro_input!(input as syn::LitStr);
    let span = literal.span();
    let shown = literal.value();
    let dir = resolve(&shown);
    match pims_codegen::expand(&dir, &shown) {
        Ok((items, files)) => {
            let watch = files.iter().filter_map(|f| f.to_str()).map(|f| {
                quote!(
                    const _: &[u8] = include_bytes!(#f);
                )
            });
            quote! {
                #(#watch)*
                #items
            }
            .into()
        }
        Err(analysis) => {
            let list = analysis.diagnostics.clone().sorted(&analysis.sources);
            let errors = list
                .iter()
                .filter(|d| d.severity == pims_codegen::diag::Severity::Error)
                .map(|d| {
                    let mut message = format!(
                        "{}: error[{}]: {}",
                        analysis.sources.display(d.loc),
                        d.code.as_str(),
                        d.message
                    );
                    if let Some(expected) = &d.expected {
                        message.push_str(&format!("\n  expected: {expected}"));
                    }
                    if let Some(found) = &d.found {
                        message.push_str(&format!("\n  found: {found}"));
                    }
                    if let Some(help) = &d.help {
                        message.push_str(&format!("\n  help: {help}"));
                    }
                    quote::quote_spanned!(span=> compile_error!(#message);)
                });
            // still watch the files, so fixing the spec triggers a rebuild
            let watch = analysis
                .sources
                .iter()
                .filter(|(_, s)| s.path.is_file())
                .filter_map(|(_, s)| s.path.to_str().map(str::to_owned))
                .map(|f| {
                    quote!(
                        const _: &[u8] = include_bytes!(#f);
                    )
                });
            quote!(#(#errors)* #(#watch)*).into()
        }
    }
}

fn resolve(path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Path::new(&dir).join(path),
        None => path.to_path_buf(),
    }
}
