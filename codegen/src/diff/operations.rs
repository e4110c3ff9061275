//! Operations: added, removed, called another way (selector, verb), their
//! names, components, securities, platforms, deprecation and error codes.
//! Their parameters, results and events are compared by `fields`.

use crate::ir::{Deprecation, Module, OperationIr};
use crate::naming::rust as naming;
use crate::source::Loc;
use crate::spec::Verb;

use super::fields::{self, Dir, Walk};
use super::{Class, Cx, Id, Rust, Scope, Wire, c, class, msg, scope, t};

/// `get pims.vehicle.trips [type=trips]`.
fn call(module: &Module, op: &OperationIr) -> String {
    let mut out = format!("{} {}", op.verb.as_str(), module.api);
    if !op.selector.is_empty() {
        let selector: Vec<String> = op
            .selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!(" [{}]", selector.join(", ")));
    }
    out
}

/// The whole of the file an operation of `module` is in, if it has one.
fn file_of(module: Option<&Module>) -> Option<Loc> {
    module
        .and_then(|m| m.operations.first())
        .map(|op| Loc::file(op.loc.file))
}

/// `operation-added`.
pub(super) fn added(cx: &mut Cx<'_>, module: &Module, op: &OperationIr, old: Option<&Module>) {
    let scope = scope(module, op, true);
    let class = class(
        Wire::Compatible,
        "apps built on the old spec do not call it",
        Rust::Minor,
        "new types in the api's module",
    );
    let message = msg(vec![t("new operation, called as "), c(call(module, op))]);
    cx.push(
        Some(&scope),
        Id::OperationAdded,
        "",
        class,
        message,
        file_of(old),
        Some(op.loc),
    );
}

/// `operation-removed`.
pub(super) fn removed(cx: &mut Cx<'_>, module: &Module, op: &OperationIr, new: Option<&Module>) {
    let scope = scope(module, op, false);
    let class = class(
        Wire::Breaking,
        "apps that call it get an error from the SDK",
        Rust::Major,
        "its request, result and error types are gone",
    );
    let message = msg(vec![
        t("operation removed (it was called as "),
        c(call(module, op)),
        t(")"),
    ]);
    cx.push(
        Some(&scope),
        Id::OperationRemoved,
        "",
        class,
        message,
        Some(op.loc),
        file_of(new),
    );
}

/// Compares two paired operations.
pub(super) fn compare(
    cx: &mut Cx<'_>,
    old_m: &Module,
    old: &OperationIr,
    new_m: &Module,
    new: &OperationIr,
) {
    let scope = scope(new_m, new, true);
    let at = (Some(old.loc), Some(new.loc));
    selector_changed(cx, &scope, old_m, old, new_m, new, at);
    verb_changed(cx, &scope, old, new, at);
    request_renamed(cx, &scope, old, new, at);
    component_changed(cx, &scope, old, new, at);
    security_changed(cx, &scope, old, new, at);
    platforms_changed(cx, &scope, old, new, at);
    deprecation(cx, &scope, old, new, at);
    let (old_ir, new_ir) = (cx.old, cx.new);
    let walk = |dir| Walk {
        old_ir,
        new_ir,
        old_module: old_m,
        new_module: new_m,
        old_op: old,
        new_op: new,
        dir,
        scope: scope.clone(),
    };
    let sent = walk(Dir::Sent);
    fields::fields(
        cx,
        &sent,
        "parameters",
        &old.params,
        &new.params,
        (old.loc, new.loc),
        &mut Vec::new(),
    );
    let received = walk(Dir::Received);
    root(
        cx,
        &received,
        "result",
        old.result.as_ref(),
        new.result.as_ref(),
    );
    if let (Some(o), Some(n)) = (&old.event, &new.event) {
        root(cx, &received, "events", o.as_ref(), n.as_ref());
    }
    error_codes(cx, &scope, old, new, at);
}

/// `selector-changed`: paired by name, the selector differs.
fn selector_changed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old_m: &Module,
    old: &OperationIr,
    new_m: &Module,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    let set = |op: &OperationIr| {
        let mut s: Vec<String> = op
            .selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        s.sort();
        s
    };
    if set(old) == set(new) {
        return;
    }
    let class = class(
        Wire::Breaking,
        "apps built on the old spec send the old selector, which the SDK no longer answers",
        Rust::Patch,
        "the request keeps its name and fields; only its hidden selector changes",
    );
    // the path names a selector key that went or changed, else one that came
    let gone = old
        .selector
        .iter()
        .find(|(k, v)| !new.selector.iter().any(|(k2, v2)| k2 == k && v2 == v));
    let key = gone
        .or_else(|| new.selector.first())
        .map(|(k, _)| format!("selector.{k}"))
        .unwrap_or_else(|| "selector".to_owned());
    let message = msg(vec![
        t("called as "),
        c(call(new_m, new)),
        t(" instead of "),
        c(call(old_m, old)),
    ]);
    cx.push(Some(scope), Id::SelectorChanged, &key, class, message, o, n)
        .values(Some(set(old).join(", ")), Some(set(new).join(", ")));
}

/// `verb-changed`: paired by name, the verb differs.
fn verb_changed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    if old.verb == new.verb {
        return;
    }
    let kind = (old.verb == Verb::Subscribe) != (new.verb == Verb::Subscribe);
    let class = if kind {
        class(
            Wire::Breaking,
            "apps built on the old spec call it with the old verb",
            Rust::Major,
            "the request implements `Subscription` instead of `Call`, or the other way round",
        )
    } else {
        class(
            Wire::Breaking,
            "apps built on the old spec call it with the old verb",
            Rust::Patch,
            "only the request's `VERB` constant changes",
        )
    };
    let message = msg(vec![
        t("called with "),
        c(new.verb.as_str()),
        t(" instead of "),
        c(old.verb.as_str()),
    ]);
    cx.push(Some(scope), Id::VerbChanged, "", class, message, o, n)
        .values(
            Some(old.verb.as_str().into()),
            Some(new.verb.as_str().into()),
        );
}

/// `type-renamed` for an operation: its request type (and the types named
/// after it) has another Rust name.
fn request_renamed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    let (a, b) = (
        naming::type_name(&old.type_name),
        naming::type_name(&new.type_name),
    );
    if a == b {
        return;
    }
    let class = class(
        Wire::Info,
        "the wire names an operation by api, verb and selector, not by its name",
        Rust::Major,
        "code that names the old types no longer compiles",
    );
    let message = msg(vec![
        t("operation "),
        c(&old.name),
        t(" is now "),
        c(&new.name),
        t(": its request type "),
        c(&a),
        t(" is now "),
        c(&b),
        t(", and the types named after it follow"),
    ]);
    cx.renamed.insert((a.clone(), b.clone()));
    cx.push(Some(scope), Id::TypeRenamed, "", class, message, o, n)
        .values(Some(a), Some(b));
}

/// `component-changed`.
fn component_changed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    if old.component == new.component {
        return;
    }
    let class = class(
        Wire::Info,
        "components group operations in the docs; calls do not name them",
        Rust::Patch,
        "docs only",
    );
    let message = msg(vec![
        t("moved from component "),
        c(&old.component),
        t(" to "),
        c(&new.component),
    ]);
    cx.push(Some(scope), Id::ComponentChanged, "", class, message, o, n)
        .values(Some(old.component.clone()), Some(new.component.clone()));
}

/// `security-changed`.
fn security_changed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    let added: Vec<&String> = new
        .security
        .iter()
        .filter(|s| !old.security.contains(s))
        .collect();
    let removed: Vec<&String> = old
        .security
        .iter()
        .filter(|s| !new.security.contains(s))
        .collect();
    if added.is_empty() && removed.is_empty() {
        return;
    }
    let class = if added.is_empty() {
        class(
            Wire::Compatible,
            "it requires less than before",
            Rust::Patch,
            "docs only",
        )
    } else {
        class(
            Wire::Breaking,
            "apps that call it without meeting the new requirement are refused",
            Rust::Patch,
            "docs only",
        )
    };
    let list = |l: &[String]| {
        if l.is_empty() {
            "none".to_owned()
        } else {
            l.join(", ")
        }
    };
    let message = msg(vec![
        t("requires "),
        c(list(&new.security)),
        t(" instead of "),
        c(list(&old.security)),
    ]);
    cx.push(Some(scope), Id::SecurityChanged, "", class, message, o, n)
        .values(Some(list(&old.security)), Some(list(&new.security)));
}

/// `platforms-changed`: the vehicle platforms (`compatibility`) or the
/// phone platforms (`platforms`, empty for both).
fn platforms_changed(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    let sorted = |a: Vec<String>| {
        let mut a = a;
        a.sort();
        a
    };
    let lists = [
        (
            "compatibility",
            sorted(old.compatibility.clone()),
            sorted(new.compatibility.clone()),
        ),
        (
            "platforms",
            sorted(
                old.platforms
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            ),
            sorted(
                new.platforms
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            ),
        ),
    ];
    for (what, a, b) in lists {
        if a == b {
            continue;
        }
        // an empty list of phone platforms is both; of vehicle platforms, unspecified
        let narrowed = if what == "platforms" {
            !super::covers(&b, &a)
        } else {
            a.iter().any(|p| !b.contains(p))
        };
        let class = if narrowed {
            class(
                Wire::Breaking,
                "apps on the platforms it left can no longer call it",
                Rust::Patch,
                "docs only",
            )
        } else {
            class(
                Wire::Compatible,
                "it is available on more platforms",
                Rust::Patch,
                "docs only",
            )
        };
        let show = |l: &[String]| {
            if l.is_empty() {
                if what == "platforms" {
                    "android and ios"
                } else {
                    "unspecified"
                }
                .to_owned()
            } else {
                l.join(", ")
            }
        };
        let message = msg(vec![
            t(if what == "platforms" {
                "runs on the phone platforms "
            } else {
                "available on "
            }),
            c(show(&b)),
            t(" instead of "),
            c(show(&a)),
        ]);
        cx.push(Some(scope), Id::PlatformsChanged, "", class, message, o, n)
            .values(Some(show(&a)), Some(show(&b)));
    }
}

/// `deprecated`, `deprecation-removed`.
fn deprecation(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    let reason = |d: &Deprecation| match d {
        Deprecation::Yes => "deprecated".to_owned(),
        Deprecation::Because(r) => r.clone(),
    };
    let (id, class, message, values) = match (&old.deprecated, &new.deprecated) {
        (None, Some(d)) => (
            Id::Deprecated,
            class(
                Wire::Info,
                "the call still works",
                Rust::Patch,
                "the docs say so; the generated code carries no `#[deprecated]`",
            ),
            msg(vec![t("deprecated")]),
            (None, Some(reason(d))),
        ),
        (Some(d), None) => (
            Id::DeprecationRemoved,
            class(Wire::Info, "the call still works", Rust::Patch, "docs only"),
            msg(vec![t("no longer deprecated")]),
            (Some(reason(d)), None),
        ),
        _ => return,
    };
    cx.push(Some(scope), id, "", class, message, o, n)
        .values(values.0, values.1);
}

/// The result or the events of an operation: data or none, then its type.
fn root(
    cx: &mut Cx<'_>,
    walk: &Walk<'_>,
    path: &str,
    old: Option<&crate::ir::Ty>,
    new: Option<&crate::ir::Ty>,
) {
    let at = (walk.old_op.loc, walk.new_op.loc);
    match (old, new) {
        (Some(o), Some(n)) => fields::ty(cx, walk, path, o, n, (true, true), at, &mut Vec::new()),
        (None, None) => {}
        (o, _) => {
            let class: Class = if o.is_none() {
                class(
                    Wire::Compatible,
                    "apps built on the old spec ignore the data",
                    Rust::Major,
                    "the operation's `Result` or `Event` type is no longer `()`",
                )
            } else {
                class(
                    Wire::Breaking,
                    "apps built on the old spec expect data the SDK no longer sends",
                    Rust::Major,
                    "the operation's `Result` or `Event` type becomes `()`",
                )
            };
            let (ow, nw) = (
                old.map_or("no data".to_owned(), |ty| fields::kind_name(walk, ty, true)),
                new.map_or("no data".to_owned(), |ty| {
                    fields::kind_name(walk, ty, false)
                }),
            );
            let message = msg(vec![c(path), t(" is "), c(&nw), t(" instead of "), c(&ow)]);
            cx.push(
                Some(&walk.scope),
                Id::ResultTypeChanged,
                path,
                class,
                message,
                Some(at.0),
                Some(at.1),
            )
            .values(Some(ow), Some(nw));
        }
    }
}

/// `error-code-added`, `error-code-removed`.
fn error_codes(
    cx: &mut Cx<'_>,
    scope: &Scope,
    old: &OperationIr,
    new: &OperationIr,
    (o, n): (Option<Loc>, Option<Loc>),
) {
    for code in &new.errors {
        if old.errors.contains(code) {
            continue;
        }
        let class = class(
            Wire::Compatible,
            "apps built on the old spec receive it as their error enum's `Unlisted`",
            Rust::Minor,
            "a new variant of a `#[non_exhaustive]` error enum; code that matched this code inside `Unlisted` must match the new variant",
        );
        let name = cx
            .new
            .error(*code)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let message = msg(vec![t("may fail with "), c(code), t(" "), c(&name)]);
        cx.push(
            Some(scope),
            Id::ErrorCodeAdded,
            &format!("errors.{code}"),
            class,
            message,
            o,
            n,
        );
    }
    for code in &old.errors {
        if new.errors.contains(code) {
            continue;
        }
        let class = class(
            Wire::Compatible,
            "the SDK no longer fails with it for this operation",
            Rust::Major,
            "the variant is gone from the operation's error enum",
        );
        let name = cx
            .old
            .error(*code)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let message = msg(vec![t("no longer fails with "), c(code), t(" "), c(&name)]);
        cx.push(
            Some(scope),
            Id::ErrorCodeRemoved,
            &format!("errors.{code}"),
            class,
            message,
            o,
            n,
        );
    }
}
