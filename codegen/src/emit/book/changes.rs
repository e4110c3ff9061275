//! The Changes page of the book, and the changelog section that
//! `pims-codegen diff --format markdown` prints: what changed since another
//! spec (`crate::diff`), grouped by component, for app developers.
//!
//! Only our own words and facts reach the page: ids, paths, names, values,
//! codes and versions, through the `md` escapes. Labels, descriptions and
//! deprecation reasons (a change's old and new values) are never shown, so
//! the page repeats no sentence of either spec.

use std::fmt::Write as _;

use crate::diff::{Change, Diff, Id, Piece, Rust, Wire};
use crate::ir::Ir;

use super::{CHANGES, Site, md};

/// Changes that only rename or add names of the generated Rust code: counted
/// per component, not listed (the compiler points at each for Rust users).
const NAMES_ONLY: &[Id] = &[
    Id::TypeRenamed,
    Id::EnumMemberRenamed,
    Id::ErrorRenamed,
    Id::TypeAdded,
    Id::TypeRemoved,
    Id::ParametersReordered,
];

/// The Changes page: what changed in which release (from the spec alone),
/// then, when given, what changed since the spec `diff` compares with.
pub(super) fn page(site: &Site<'_>, diff: Option<&Diff>) -> String {
    let mut out = super::changes(site);
    if let Some(diff) = diff {
        out.push('\n');
        out.push_str(&section(site.ir, diff, 2, &|c: &Change| {
            operation_ref(site, c)
        }));
    }
    out
}

/// The changelog of `diff` in Markdown, for the release of `ir` (the new
/// spec): the section of the Changes page, without links.
pub fn changelog(diff: &Diff, ir: &Ir) -> String {
    section(ir, diff, 2, &|c: &Change| plain_ref(c))
}

/// `pims.vehicle.trips#trips` as code.
fn plain_ref(c: &Change) -> Option<String> {
    c.scope
        .as_ref()
        .map(|s| md::code(&format!("{} {}#{}", s.verb.as_str(), s.api, s.operation)))
}

/// A link to the operation's page where it still exists.
fn operation_ref(site: &Site<'_>, c: &Change) -> Option<String> {
    let s = c.scope.as_ref()?;
    if s.in_new
        && let Some(module) = site.ir.modules.iter().find(|m| m.api == s.api)
        && let Some(op) = module.operations.iter().find(|o| o.name == s.operation)
    {
        return Some(site.operation_link(CHANGES, module, op));
    }
    plain_ref(c)
}

fn wire_word(w: Wire) -> &'static str {
    match w {
        Wire::Breaking => "Breaking",
        Wire::Compatible => "Compatible",
        Wire::Info => "Info",
    }
}

/// The message in Markdown: our words escaped as text, names and values as code.
fn message(c: &Change) -> String {
    c.message
        .0
        .iter()
        .map(|p| match p {
            Piece::Text(t) => text(t),
            Piece::Code(s) => md::code(s),
        })
        .collect()
}

/// Our words as Markdown text, keeping the spaces around them (between code spans).
fn text(t: &str) -> String {
    let lead = if t.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{lead}{}{trail}", md::inline(t))
}

/// `the generated crate needs a major release`.
fn release(r: Option<Rust>) -> &'static str {
    match r {
        Some(Rust::Major) => "a major release of the generated crate (code may stop compiling)",
        Some(Rust::Minor) => "a minor release of the generated crate (its API grows)",
        Some(Rust::Patch) => "a patch release of the generated crate (its API is unchanged)",
        None => "no release of the generated crate",
    }
}

fn section(
    ir: &Ir,
    diff: &Diff,
    level: usize,
    reference: &dyn Fn(&Change) -> Option<String>,
) -> String {
    let h = "#".repeat(level);
    let mut out = String::new();
    let title = match diff.old_version {
        Some(old) => format!("{} {}, compared with {old}", ir.sdk_name, diff.new_version),
        None => format!(
            "{} {}, compared with no earlier spec",
            ir.sdk_name, diff.new_version
        ),
    };
    let _ = writeln!(out, "{h} {}\n", md::heading(&title));
    let (b, c, i) = diff.counts();
    if diff.changes.is_empty() {
        out.push_str("Nothing changed.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{} changes: {b} breaking for apps built on the older spec, {c} compatible, {i} with no effect on the wire. They call for {}.\n",
        diff.changes.len(),
        release(diff.strongest_rust())
    );
    out.push_str(concat!(
        "**Breaking**: an app built on the older spec may fail. **Compatible**: it copes. ",
        "**Info**: nothing changes on the wire (names, docs). ",
        "Rust: the effect on the generated crate's API (major, minor, patch).\n",
    ));
    // groups: the whole SDK, then the new spec's components, then any others
    let mut groups: Vec<(Option<String>, Vec<&Change>)> = vec![(None, Vec::new())];
    for comp in &ir.components {
        groups.push((Some(comp.name.clone()), Vec::new()));
    }
    for change in &diff.changes {
        let key = change.scope.as_ref().map(|s| s.component.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(change),
            None => groups.push((key, vec![change])),
        }
    }
    let title_of = |name: &Option<String>| match name {
        None => "The whole SDK".to_owned(),
        Some(n) => match ir.components.iter().find(|comp| comp.name == *n) {
            Some(comp) => super::component_title(comp),
            None => n.clone(),
        },
    };
    let rows: Vec<Vec<String>> = groups
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(name, list)| {
            let n = |w: Wire| list.iter().filter(|c| c.wire == w).count().to_string();
            vec![
                md::cell(&title_of(name)),
                n(Wire::Breaking),
                n(Wire::Compatible),
                n(Wire::Info),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&md::table(
        &["Component", "Breaking", "Compatible", "Info"],
        &rows,
    ));
    for (name, list) in &mut groups {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{h}# {}\n", md::heading(&title_of(name)));
        // the strongest first, in the diff's order within each level
        list.sort_by_key(|c| std::cmp::Reverse(c.wire));
        let mut names: Vec<(Id, usize)> = Vec::new();
        for change in list.iter() {
            if NAMES_ONLY.contains(&change.id) {
                match names.iter_mut().find(|(id, _)| *id == change.id) {
                    Some((_, n)) => *n += 1,
                    None => names.push((change.id, 1)),
                }
                continue;
            }
            let at = reference(change)
                .map(|r| format!("{r}: "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{}** (Rust {}, {}) {at}{}",
                wire_word(change.wire),
                change.rust.as_str(),
                md::code(change.id.as_str()),
                message(change)
            );
        }
        if !names.is_empty() {
            names.sort();
            let list: Vec<String> = names
                .iter()
                .map(|(id, n)| format!("{n} {}", md::code(id.as_str())))
                .collect();
            let _ = writeln!(
                out,
                "- Names in the generated Rust code only, nothing on the wire: {} (`pims-codegen diff` lists them)",
                list.join(", ")
            );
        }
    }
    out
}
