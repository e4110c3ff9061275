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
/// The contract tables of the simulator (`simulator::CONTRACT`,
/// `simulator()`: see `pims_runtime::simulator`) likewise: none unless
/// asked, `simulator` for always (enable `pims-runtime`'s `simulator`
/// feature), `simulator = "feature"` under the calling crate's own
/// `simulator` feature. The same option gives every type both serde
/// traits; without it, requests are only `Serialize` and results only
/// `Deserialize`. Options come in any order:
/// `sdk!("spec", schemars = "feature", simulator)`.
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
    let (literal, options) = match syn::parse::Parser::parse(arguments, input) {
        Ok(parsed) => parsed,
        Err(e) => return e.to_compile_error().into(),
    };
    let span = literal.span();
    let shown = literal.value();
    let dir = resolve(&shown);
    let settings = pims_codegen::emit::Settings::new(&shown)
        .with_schemars(options.schemars)
        .with_simulator(options.simulator);
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

/// What follows the spec folder: `, schemars` / `, simulator`, each
/// optionally `= "feature" | "always" | "never"`, in any order.
#[derive(Debug, Clone, Copy)]
struct Options {
    schemars: pims_codegen::emit::Schemars,
    simulator: pims_codegen::emit::Simulator,
}

/// `"spec"`, then the options.
fn arguments(input: syn::parse::ParseStream<'_>) -> syn::Result<(syn::LitStr, Options)> {
    use pims_codegen::emit::{Schemars, Simulator};
    let literal: syn::LitStr = input.parse()?;
    let mut options = Options {
        schemars: Schemars::Never,
        simulator: Simulator::Never,
    };
    let mut seen: Vec<String> = Vec::new();
    while input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
        let key: syn::Ident = input.parse()?;
        let name = key.to_string();
        if name != "schemars" && name != "simulator" {
            return Err(syn::Error::new(
                key.span(),
                "expected `schemars` or `simulator` (each optionally `= \"feature\"`) after the spec folder",
            ));
        }
        if seen.contains(&name) {
            return Err(syn::Error::new(
                key.span(),
                format!("`{name}` is given twice"),
            ));
        }
        let mut mode = "always".to_owned();
        let mut span = key.span();
        if input.parse::<Option<syn::Token![=]>>()?.is_some() {
            let given: syn::LitStr = input.parse()?;
            mode = given.value();
            span = given.span();
        }
        match (name.as_str(), mode.as_str()) {
            ("schemars", "feature") => options.schemars = Schemars::Feature,
            ("schemars", "always") => options.schemars = Schemars::Always,
            ("schemars", "never") => options.schemars = Schemars::Never,
            ("simulator", "feature") => options.simulator = Simulator::Feature,
            ("simulator", "always") => options.simulator = Simulator::Always,
            ("simulator", "never") => options.simulator = Simulator::Never,
            _ => {
                return Err(syn::Error::new(
                    span,
                    "expected \"feature\", \"always\" or \"never\"",
                ));
            }
        }
        seen.push(name);
    }
    if !input.is_empty() {
        return Err(input.error("unexpected input after the macro's arguments"));
    }
    Ok((literal, options))
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
    fn options_come_in_any_order() {
        use pims_codegen::emit::{Schemars, Simulator};
        use syn::parse::Parser;
        let parse = |tokens: proc_macro2::TokenStream| arguments.parse2(tokens);
        let error = |tokens: proc_macro2::TokenStream| match parse(tokens) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        };
        let (_, o) = parse(quote!("spec")).unwrap();
        assert_eq!(
            (o.schemars, o.simulator),
            (Schemars::Never, Simulator::Never)
        );
        let (_, o) = parse(quote!("spec", simulator, schemars = "feature")).unwrap();
        assert_eq!(
            (o.schemars, o.simulator),
            (Schemars::Feature, Simulator::Always)
        );
        let (_, o) = parse(quote!("spec", simulator = "feature",)).unwrap();
        assert_eq!(
            (o.schemars, o.simulator),
            (Schemars::Never, Simulator::Feature)
        );
        let twice = error(quote!("spec", simulator, simulator));
        assert!(twice.contains("given twice"), "{twice}");
        let unknown = error(quote!("spec", simulate));
        assert!(
            unknown
                .to_string()
                .contains("expected `schemars` or `simulator`"),
            "{unknown}"
        );
        let mode = error(quote!("spec", simulator = "sometimes"));
        assert!(mode.contains("\"feature\""), "{mode}");
    }

    #[test]
    fn a_path_is_resolved_against_the_crate() {
        assert!(resolve("../spec").ends_with("macros/../spec"));
        assert_eq!(resolve("/abs/spec"), PathBuf::from("/abs/spec"));
    }
}
