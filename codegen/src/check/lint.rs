//! Warnings: what is legal but suspect. `pims-codegen check --deny-warnings`
//! refuses them too.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::spec::{Field, NamedMap, Shape, Sp, Spec, Type, TypeKind, Version};

/// Every warning of `spec`.
pub fn lint(spec: &Spec) -> Diagnostics {
    let mut d = Diagnostics::default();
    let sdk = spec.manifest.sdk.version.value;
    for c in &spec.manifest.components {
        future(&c.value.since, sdk, &mut d);
        if let Some(u) = &c.value.updated {
            future(u, sdk, &mut d);
        }
    }
    for api in &spec.apis {
        for op in &api.operations {
            no_errors(op, &mut d);
            future(&op.since, sdk, &mut d);
            if let Some(u) = &op.updated {
                future(u, sdk, &mut d);
            }
            if let Some(u) = &op.updated
                && u.value < op.since.value
            {
                d.push(
                    Diagnostic::warning(
                        Code::VersionOrder,
                        u.loc,
                        format!(
                            "`updated` ({}) is before `since` ({})",
                            u.value, op.since.value
                        ),
                    )
                    .help(
                        "an operation is last changed in or after the release that introduced it",
                    ),
                );
            }
            for shape in [&op.result, &op.events].into_iter().flatten() {
                if let Shape::Type(t) = shape {
                    missing_examples(t, &mut d);
                }
            }
            fields_since(&op.parameters, sdk, &mut d);
            platform_required(&op.parameters, &mut d);
        }
    }
    d
}

/// W401: an operation that lists no error (every call can at least fail with 2001).
fn no_errors(op: &crate::spec::Operation, d: &mut Diagnostics) {
    if op.errors.is_empty() {
        d.push(
            Diagnostic::warning(
                Code::NoErrors,
                op.name.loc,
                format!("operation `{}` lists no errors", op.name.as_str()),
            )
            .help(
                "list the codes it can fail with, e.g. `errors: [2001]` (facade not initialized)",
            ),
        );
    }
}

/// W404: a release newer than the SDK the spec describes.
fn future(v: &Sp<Version>, sdk: Version, d: &mut Diagnostics) {
    if v.value > sdk {
        d.push(
            Diagnostic::warning(
                Code::FutureVersion,
                v.loc,
                format!("release {} is newer than the SDK's {sdk}", v.value),
            )
            .help("raise `sdk.version` in pims.yaml, or correct this release"),
        );
    }
}

fn fields_since(fields: &NamedMap<Field>, sdk: Version, d: &mut Diagnostics) {
    for f in fields {
        if let Some(s) = &f.value.since {
            future(s, sdk, d);
        }
    }
}

/// W402: received fields without an example (docs and built examples need one).
fn missing_examples(ty: &Type, d: &mut Diagnostics) {
    match &ty.kind {
        TypeKind::Object(o) => {
            for f in &o.fields {
                let leaf = matches!(
                    f.value.ty.kind,
                    TypeKind::String(_)
                        | TypeKind::Integer(_)
                        | TypeKind::Number(_)
                        | TypeKind::Boolean(_)
                );
                if leaf && f.value.example.is_none() {
                    d.push(
                        Diagnostic::warning(
                            Code::NoExample,
                            f.name.loc,
                            format!("field `{}` has no example", f.name.as_str()),
                        )
                        .help("add `example:` with a value the SDK really sends"),
                    );
                }
                missing_examples(&f.value.ty, d);
            }
        }
        TypeKind::Array(a) => missing_examples(&a.items, d),
        _ => {}
    }
}

/// W406: a field that exists on one platform only cannot be required: calls
/// from the other platform leave it out.
fn platform_required(fields: &NamedMap<Field>, d: &mut Diagnostics) {
    for f in fields {
        if f.value.required
            && let Some(platforms) = &f.value.platforms
            && !platforms.is_empty()
        {
            let only: Vec<&str> = platforms.iter().map(|p| p.value.as_str()).collect();
            d.push(
                Diagnostic::warning(
                    Code::PlatformRequired,
                    f.name.loc,
                    format!("`{}` is required, but exists on {} only", f.name.as_str(), only.join(" and ")),
                )
                .help("make it optional (`required: false`): calls from the other platform leave it out"),
            );
        }
        if let TypeKind::Object(o) = &f.value.ty.kind {
            platform_required(&o.fields, d);
        }
    }
}
