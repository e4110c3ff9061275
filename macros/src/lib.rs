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
/// The expansion uses `pims_runtime`, which the calling crate depends on. It
/// derives `schemars::JsonSchema` only when asked, so that it is warning-free
/// in any crate:
///
/// - `sdk!("spec")`: no `JsonSchema` derives;
/// - `sdk!("spec", schemars)`: always (enable `pims-runtime`'s `schemars` feature);
/// - `sdk!("spec", schemars = "feature")`: under the calling crate's own
///   `schemars` feature, as generated crates do (the crate declares it).
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
    let (literal, schemars) = match syn::parse::Parser::parse(arguments, input) {
        Ok(parsed) => parsed,
        Err(e) => return e.to_compile_error().into(),
    };
    let span = literal.span();
    let shown = literal.value();
    let dir = resolve(&shown);
    let settings = pims_codegen::emit::Settings::new(&shown).with_schemars(schemars);
    match pims_codegen::expand(&dir, &settings) {
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

/// `"spec"`, then optionally `, schemars` or `, schemars = "feature"`.
fn arguments(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<(syn::LitStr, pims_codegen::emit::Schemars)> {
    use pims_codegen::emit::Schemars;
    let literal: syn::LitStr = input.parse()?;
    let mut schemars = Schemars::Never;
    if input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
        let key: syn::Ident = input.parse()?;
        if key != "schemars" {
            return Err(syn::Error::new(
                key.span(),
                "expected `schemars` or `schemars = \"feature\"` after the spec folder",
            ));
        }
        schemars = Schemars::Always;
        if input.parse::<Option<syn::Token![=]>>()?.is_some() {
            let mode: syn::LitStr = input.parse()?;
            schemars = match mode.value().as_str() {
                "feature" => Schemars::Feature,
                "always" => Schemars::Always,
                "never" => Schemars::Never,
                _ => {
                    return Err(syn::Error::new(
                        mode.span(),
                        "expected \"feature\", \"always\" or \"never\"",
                    ));
                }
            };
        }
        input.parse::<Option<syn::Token![,]>>()?;
    }
    if !input.is_empty() {
        return Err(input.error("unexpected input after the macro's arguments"));
    }
    Ok((literal, schemars))
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
        let settings = pims_codegen::emit::Settings::new("tests/bad-spec");
        let Err(analysis) = pims_codegen::expand(&dir, &settings) else {
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
        assert!(message.contains("did you mean `2102` ("), "{message}");
    }

    #[test]
    fn a_path_is_resolved_against_the_crate() {
        assert!(resolve("../spec").ends_with("macros/../spec"));
        assert_eq!(resolve("/abs/spec"), PathBuf::from("/abs/spec"));
    }
}
