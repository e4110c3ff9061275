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
/// A spec with errors does not compile; each error is reported where the
/// macro is called, with its `file:line:col`:
///
/// ```compile_fail
/// pims_macros::sdk!("tests/bad-spec");
/// ```
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
            let errors = messages(&analysis)
                .into_iter()
                .map(|message| quote::quote_spanned!(span=> compile_error!(#message);));
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

/// One message per error of the spec: `file:line:col: error[code]: …`, with
/// what was expected, what was found and the likely fix.
fn messages(analysis: &pims_codegen::Analysis) -> Vec<String> {
    let list = analysis.diagnostics.clone().sorted(&analysis.sources);
    list.iter()
        .filter(|d| d.severity == pims_codegen::diag::Severity::Error)
        .map(|d| {
            let mut message = format!(
                "{}: error[{}]: {}",
                analysis.sources.display(d.loc),
                d.code.as_str(),
                d.message
            );
            for (label, text) in [
                ("expected", &d.expected),
                ("found", &d.found),
                ("help", &d.help),
            ] {
                if let Some(text) = text {
                    message.push_str(&format!("\n  {label}: {text}"));
                }
            }
            message
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_errors_become_located_messages() {
        let dir = resolve("tests/bad-spec");
        let Err(analysis) = pims_codegen::expand(&dir, "tests/bad-spec") else {
            panic!("the bad spec expands");
        };
        let messages = messages(&analysis);
        assert_eq!(messages.len(), 1, "{messages:?}");
        let message = &messages[0];
        assert!(
            message.contains(
                "tests/bad-spec/authentication/otp.yaml:7:20: error[E201]: error code 2120 is not in the catalogue"
            ),
            "{message}"
        );
        assert!(message.contains("\n  found: 2120"), "{message}");
        assert!(message.contains("did you mean `2102`?"), "{message}");
    }

    #[test]
    fn a_path_is_resolved_against_the_crate() {
        assert!(resolve("../spec").ends_with("macros/../spec"));
        assert_eq!(resolve("/abs/spec"), PathBuf::from("/abs/spec"));
    }
}
