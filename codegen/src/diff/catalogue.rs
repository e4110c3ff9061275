//! What is not an operation's: the SDK's version, the error catalogue (by
//! code) and the named types (`pims_sdk::types`).

use crate::ir::ErrorVariant;
use crate::naming::rust as naming;

use super::{Cx, Id, Rust, Wire, c, class, msg, t};

/// `sdk-version-changed`.
pub(super) fn sdk_version(cx: &mut Cx<'_>) {
    let (a, b) = (cx.old.sdk_version, cx.new.sdk_version);
    if a == b {
        return;
    }
    let class = class(
        Wire::Info,
        "the version names the release",
        Rust::Patch,
        "the version shows in docs only",
    );
    cx.push(
        None,
        Id::SdkVersionChanged,
        "sdk.version",
        class,
        msg(vec![t("sdk.version is "), c(b), t(" instead of "), c(a)]),
        None,
        None,
    )
    .values(Some(a.to_string()), Some(b.to_string()));
}

/// The catalogue, by code.
pub(super) fn errors(cx: &mut Cx<'_>) {
    let (old, new) = (cx.old, cx.new);
    for o in &old.errors {
        match new.error(o.code) {
            Some(n) => {
                renamed(cx, o, n);
                label_changed(cx, o, n);
                sub_codes_changed(cx, o, n);
                category_changed(cx, o, n);
            }
            None => removed(cx, o),
        }
    }
    for n in &new.errors {
        if old.error(n.code).is_none() {
            added(cx, n);
        }
    }
}

fn path(e: &ErrorVariant) -> String {
    format!("errors.{}", e.code)
}

/// `catalogue-error-added`.
fn added(cx: &mut Cx<'_>, n: &ErrorVariant) {
    let class = class(
        Wire::Info,
        "an operation that now lists it is reported on its own (`error-code-added`)",
        Rust::Minor,
        "a new variant of the `#[non_exhaustive]` catalogue `Error`",
    );
    cx.push(
        None,
        Id::CatalogueErrorAdded,
        &path(n),
        class,
        msg(vec![
            t("new catalogue error "),
            c(n.code),
            t(" "),
            c(&n.name),
        ]),
        None,
        Some(n.loc),
    );
}

/// `catalogue-error-removed`.
fn removed(cx: &mut Cx<'_>, o: &ErrorVariant) {
    let class = class(
        Wire::Info,
        "an operation that listed it is reported on its own (`error-code-removed`)",
        Rust::Major,
        "the variant is gone from the catalogue `Error`",
    );
    cx.push(
        None,
        Id::CatalogueErrorRemoved,
        &path(o),
        class,
        msg(vec![
            t("catalogue error "),
            c(o.code),
            t(" "),
            c(&o.name),
            t(" was removed"),
        ]),
        Some(o.loc),
        None,
    );
}

/// `error-renamed`.
fn renamed(cx: &mut Cx<'_>, o: &ErrorVariant, n: &ErrorVariant) {
    let (a, b) = (naming::variant(&o.name), naming::variant(&n.name));
    if a == b {
        return;
    }
    let class = class(
        Wire::Info,
        "errors are told apart by their code",
        Rust::Major,
        "code that names the old variant no longer compiles",
    );
    cx.push(
        None,
        Id::ErrorRenamed,
        &path(o),
        class,
        msg(vec![
            t("error "),
            c(o.code),
            t(" is the variant "),
            c(&b),
            t(" instead of "),
            c(&a),
        ]),
        Some(o.loc),
        Some(n.loc),
    )
    .values(Some(a), Some(b));
}

/// `label-changed`: the label's text, and its placeholders (which become
/// the variant's fields and are captured from the received label).
fn label_changed(cx: &mut Cx<'_>, o: &ErrorVariant, n: &ErrorVariant) {
    if o.label == n.label {
        return;
    }
    let holes = |e: &ErrorVariant| {
        e.placeholders
            .iter()
            .map(|h| naming::placeholder(h))
            .collect::<Vec<_>>()
    };
    let (ha, hb) = (holes(o), holes(n));
    let class = if ha != hb {
        let (rust, why) = details_effect(o, n);
        class(
            Wire::Breaking,
            "apps built on the old spec read placeholders the new label does not have",
            rust,
            why,
        )
    } else if ha.is_empty() {
        class(
            Wire::Info,
            "apps act on the code; the label is text for people",
            Rust::Patch,
            "only the label the generated code returns changes",
        )
    } else {
        class(
            Wire::Compatible,
            "apps built on the old spec match the old template: they no longer capture the placeholders' values",
            Rust::Patch,
            "the variant keeps its fields; only the template changes",
        )
    };
    let list = |h: &[String]| {
        if h.is_empty() {
            "none".to_owned()
        } else {
            h.join(", ")
        }
    };
    let mut pieces = vec![t("the label of error "), c(n.code), t(" changed")];
    if ha != hb {
        pieces.extend([
            t("; its placeholders are "),
            c(list(&hb)),
            t(" instead of "),
            c(list(&ha)),
        ]);
    }
    cx.push(
        None,
        Id::LabelChanged,
        &path(o),
        class,
        msg(pieces),
        Some(o.loc),
        Some(n.loc),
    )
    .values(Some(o.label.clone()), Some(n.label.clone()));
}

/// What a change of an error's details (the fields of its `errors::Name`
/// struct: placeholders, then `sub_codes`) does to the generated crate. The
/// struct is `#[non_exhaustive]`: fields added are minor; a field removed,
/// or the variant gaining or losing its struct, is major.
fn details_effect(o: &ErrorVariant, n: &ErrorVariant) -> (Rust, &'static str) {
    let fields = |e: &ErrorVariant| {
        let mut f: Vec<String> = e
            .placeholders
            .iter()
            .map(|h| naming::placeholder(h))
            .collect();
        if e.sub_codes {
            f.push("sub_codes".to_owned());
        }
        f
    };
    let (a, b) = (fields(o), fields(n));
    if a.is_empty() && !b.is_empty() {
        (
            Rust::Major,
            "the unit variant gains a details struct (`errors::…`)",
        )
    } else if b.is_empty() && !a.is_empty() {
        (
            Rust::Major,
            "the variant loses its details struct (`errors::…`)",
        )
    } else if a.iter().all(|f| b.contains(f)) {
        (
            Rust::Minor,
            "the details struct gains fields; it is `#[non_exhaustive]`",
        )
    } else {
        (Rust::Major, "the details struct loses fields")
    }
}

/// `sub-codes-changed`.
fn sub_codes_changed(cx: &mut Cx<'_>, o: &ErrorVariant, n: &ErrorVariant) {
    if o.sub_codes == n.sub_codes {
        return;
    }
    let (rust, why) = details_effect(o, n);
    let class = if n.sub_codes {
        class(
            Wire::Compatible,
            "apps built on the old spec ignore the sub-codes",
            rust,
            why,
        )
    } else {
        class(
            Wire::Compatible,
            "apps built on the old spec find no sub-codes",
            rust,
            why,
        )
    };
    let word = if n.sub_codes {
        " may carry sub-codes"
    } else {
        " no longer carries sub-codes"
    };
    cx.push(
        None,
        Id::SubCodesChanged,
        &path(o),
        class,
        msg(vec![t("error "), c(n.code), t(word)]),
        Some(o.loc),
        Some(n.loc),
    );
}

/// `error-category-changed`.
fn category_changed(cx: &mut Cx<'_>, o: &ErrorVariant, n: &ErrorVariant) {
    if o.category == n.category {
        return;
    }
    let class = class(
        Wire::Info,
        "the category is not on the wire",
        Rust::Patch,
        "`Error::category()` returns another string; no API change",
    );
    cx.push(
        None,
        Id::ErrorCategoryChanged,
        &path(o),
        class,
        msg(vec![
            t("error "),
            c(n.code),
            t(" is in category "),
            c(&n.category),
            t(" instead of "),
            c(&o.category),
        ]),
        Some(o.loc),
        Some(n.loc),
    )
    .values(Some(o.category.clone()), Some(n.category.clone()));
}

/// `type-added`, `type-removed`: named types by name, except those found
/// renamed where they are used.
pub(super) fn named_types(cx: &mut Cx<'_>) {
    let (old, new) = (cx.old, cx.new);
    for o in &old.types {
        if new.named(&o.name).is_some() || cx.named_renames.iter().any(|(a, _)| *a == o.name) {
            continue;
        }
        let class = class(
            Wire::Info,
            "where it was used is reported on its own",
            Rust::Major,
            "code that names it no longer compiles",
        );
        let name = format!("types::{}", naming::type_name(&o.name));
        cx.push(
            None,
            Id::TypeRemoved,
            &format!("types.{}", o.name),
            class,
            msg(vec![t("named type "), c(&name), t(" was removed")]),
            Some(o.loc),
            None,
        );
    }
    for n in &new.types {
        if old.named(&n.name).is_some() || cx.named_renames.iter().any(|(_, b)| *b == n.name) {
            continue;
        }
        let class = class(
            Wire::Info,
            "where it is used is reported on its own",
            Rust::Minor,
            "a new type in `pims_sdk::types`",
        );
        let name = format!("types::{}", naming::type_name(&n.name));
        cx.push(
            None,
            Id::TypeAdded,
            &format!("types.{}", n.name),
            class,
            msg(vec![t("new named type "), c(&name)]),
            None,
            Some(n.loc),
        );
    }
}
