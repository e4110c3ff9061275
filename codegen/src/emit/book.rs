//! The IR to an mdBook: the SDK's reference, one page per operation in the
//! style of the SDK's own pages (`pims.authentication.smscode-phoneNumberCertification`),
//! plus a page per component, the error catalogue, an index of the apis and
//! what changed in which release.
//!
//! ```text
//! book.toml                                  title, unnumbered chapters, book.css
//! book.css                                   keeps pages within a 1280 px window
//! src/SUMMARY.md                             the sidebar: component, api, operation
//! src/README.md                              introduction
//! src/apis.md                                every api and its operations
//! src/apis/<api>/<operation name>.md         an operation
//! src/components.md, src/components/<Tag>.md the components
//! src/errors.md                              the error catalogue
//! src/changes.md                             what changed in which release
//! ```
//!
//! Spec text goes through `md`: names, labels and values as literal text,
//! descriptions as Markdown whose inline markup (code spans, emphasis, web and
//! mail links) is kept and the rest escaped, so that nothing becomes HTML, a
//! block or an mdBook directive. Field tables have three columns (name with
//! `required` under it, type, description with its constraints, default and
//! example under it), so that they fit mdBook's content column; `.ci/run`
//! checks every page in headless Chromium at 1280 px (`.ci/book-layout`).
//! The book's own links are relative, between generated pages. Like every emitter, this
//! reads the IR only; output follows the IR's order.

pub mod changes;
mod fields;
mod md;
mod operation;
mod samples;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::ir::{ComponentIr, Ir, Module, OperationIr};
use crate::spec::Connectivity;

use super::{Files, Kind, Settings, header};

/// The introduction page.
const INTRO: &str = "README.md";
/// The index of apis.
const APIS: &str = "apis.md";
/// The index of components.
const COMPONENTS: &str = "components.md";
/// The error catalogue.
const ERRORS: &str = "errors.md";
/// What changed in which release.
const CHANGES: &str = "changes.md";
/// The style the book adds to mdBook's theme (beside `book.toml`).
const CSS: &str = "book.css";

/// An mdBook of the spec: `book.toml`, `src/SUMMARY.md` and its pages, by path.
pub fn book_files(ir: &Ir, settings: &Settings, command: &str) -> Result<Files, String> {
    book_files_with_changes(ir, settings, command, None)
}

/// The same, the Changes page also saying what changed since the spec `diff` compares with.
pub fn book_files_with_changes(
    ir: &Ir,
    settings: &Settings,
    command: &str,
    diff: Option<&crate::diff::Diff>,
) -> Result<Files, String> {
    let site = Site::new(ir, settings);
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |path: String, text: String| -> Result<(), String> {
        match pages.insert(path.clone(), text) {
            Some(_) => Err(format!("two pages of the book would be {path}")),
            None => Ok(()),
        }
    };
    add(INTRO.to_owned(), intro(ir, settings))?;
    add(APIS.to_owned(), apis(&site))?;
    add(COMPONENTS.to_owned(), components(&site))?;
    add(ERRORS.to_owned(), errors(&site))?;
    add(CHANGES.to_owned(), changes::page(&site, diff))?;
    for c in &ir.components {
        add(site.component_path(&c.name), component(&site, c))?;
    }
    for module in &ir.modules {
        for op in &module.operations {
            add(
                site.operation_path(module, op),
                operation::page(&site, module, op),
            )?;
        }
    }
    add("SUMMARY.md".to_owned(), summary(&site))?;
    let comment = Kind::Markdown.prefix(&header(command));
    let mut files = Files::new();
    for (path, text) in pages {
        files.insert(
            PathBuf::from("src").join(path),
            format!("{comment}\n{text}"),
        );
    }
    files.insert(PathBuf::from("book.toml"), book_toml(ir, command));
    files.insert(PathBuf::from(CSS), book_css(command));
    Ok(files)
}

/// `book.toml`: the title and the source folder; chapters are not numbered
/// (the summary groups them), and the sidebar shows a group's operations
/// once it is opened.
fn book_toml(ir: &Ir, command: &str) -> String {
    format!(
        concat!(
            "{}[book]\ntitle = {}\nsrc = \"src\"\n\n",
            "[output.html]\nno-section-label = true\nadditional-css = [\"{}\"]\n\n",
            "[output.html.fold]\nenable = true\nlevel = 0\n",
        ),
        Kind::Toml.prefix(&header(command)),
        super::toml_string(&format!("{} {} reference", ir.sdk_name, ir.sdk_version)),
        CSS
    )
}

/// `book.css`: what keeps every operation page within mdBook's content
/// column at a laptop's width. In a field table, a value or a link in the
/// description breaks anywhere if it must instead of widening the table
/// (names and types break at the `<wbr>` the book writes, words never); a
/// code block wraps its long lines instead of scrolling sideways. In the sidebar, an api (a group without a page of
/// its own) reads as a heading of its operations, not as a missing page.
fn book_css(command: &str) -> String {
    format!(
        concat!(
            "{}",
            ".chapter li > .chapter-link-wrapper > span {{\n    color: var(--sidebar-fg);\n}}\n",
            "/* a field table (three columns): name, type, and half the width for the description, */\n",
            "/* whose values and links break anywhere rather than widen it */\n",
            ".content td:first-child:nth-last-child(3) {{\n    width: 30%;\n}}\n",
            ".content td:nth-child(2):nth-last-child(2) {{\n    width: 20%;\n}}\n",
            ".content td:nth-child(3):last-child {{\n    width: 50%;\n}}\n",
            ".content td:nth-child(3):last-child code, .content td:nth-child(3):last-child a {{\n",
            "    overflow-wrap: anywhere;\n}}\n",
            ".content pre > code {{\n    white-space: pre-wrap;\n    overflow-wrap: anywhere;\n}}\n",
        ),
        Kind::Css.prefix(&header(command))
    )
}

/// Pretty JSON with a final newline.
fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// What every page needs to know about the others: their paths and titles.
#[derive(Debug)]
struct Site<'a> {
    /// The IR.
    ir: &'a Ir,
    /// How files are shown.
    settings: &'a Settings,
    /// `(api, title)` pairs that more than one operation has.
    shared_titles: BTreeSet<(&'a str, &'a str)>,
}

impl<'a> Site<'a> {
    fn new(ir: &'a Ir, settings: &'a Settings) -> Self {
        let mut seen = BTreeSet::new();
        let mut shared_titles = BTreeSet::new();
        for module in &ir.modules {
            for op in &module.operations {
                let key = (module.api.as_str(), op.title.as_str());
                if !seen.insert(key) {
                    shared_titles.insert(key);
                }
            }
        }
        Site {
            ir,
            settings,
            shared_titles,
        }
    }

    /// `apis/<api>/<name>.md`.
    fn operation_path(&self, module: &Module, op: &OperationIr) -> String {
        format!(
            "apis/{}/{}.md",
            md::segment(&module.api),
            md::segment(&op.name)
        )
    }

    /// `components/<Tag>.md`.
    fn component_path(&self, name: &str) -> String {
        format!("components/{}.md", md::segment(name))
    }

    /// The title of the SDK's page: `pims.authentication.smscode-phoneNumberCertification`.
    fn page_title(&self, module: &Module, op: &OperationIr) -> String {
        format!("{}-{}", module.api, op.title)
    }

    /// The page title, with the operation's name where its title is shared
    /// (`pims.authentication.smscode-enrollment (requestEnrollmentCode)`).
    fn link_title(&self, module: &Module, op: &OperationIr) -> String {
        let title = self.page_title(module, op);
        if self
            .shared_titles
            .contains(&(module.api.as_str(), op.title.as_str()))
        {
            format!("{title} ({})", op.name)
        } else {
            title
        }
    }

    /// The title within its api: `phoneNumberCertification`, with the
    /// operation's name where its title is shared (`enrollment (requestEnrollmentCode)`).
    fn short_title(&self, module: &Module, op: &OperationIr) -> String {
        if self
            .shared_titles
            .contains(&(module.api.as_str(), op.title.as_str()))
        {
            format!("{} ({})", op.title, op.name)
        } else {
            op.title.clone()
        }
    }

    /// A link from the page `from` to the page of `op`.
    fn operation_link(&self, from: &str, module: &Module, op: &OperationIr) -> String {
        md::link(
            &self.link_title(module, op),
            &md::relative(from, &self.operation_path(module, op)),
        )
    }

    /// The component `name`, if declared.
    fn component(&self, name: &str) -> Option<&'a ComponentIr> {
        self.ir.components.iter().find(|c| c.name == name)
    }

    /// A link from `from` to the component `name`'s page (its name alone if undeclared).
    fn component_link(&self, from: &str, name: &str) -> String {
        match self.component(name) {
            Some(c) => md::link(
                &component_title(c),
                &md::relative(from, &self.component_path(name)),
            ),
            None => md::inline(name),
        }
    }

    /// A link for `related` (`pims.x.y` or `pims.x.y#name`): to the operation,
    /// or to the api's first operation; its text alone if it names nothing.
    fn related_link(&self, from: &str, related: &str) -> String {
        let (api, name) = match related.split_once('#') {
            Some((api, name)) => (api, Some(name)),
            None => (related, None),
        };
        let Some(module) = self.ir.modules.iter().find(|m| m.api == api) else {
            return md::inline(related);
        };
        let op = match name {
            Some(name) => module.operations.iter().find(|o| o.name == name),
            None => module.operations.first(),
        };
        match (op, name) {
            (Some(op), Some(_)) => self.operation_link(from, module, op),
            (Some(op), None) => md::link(
                &format!("{api} (api)"),
                &md::relative(from, &self.operation_path(module, op)),
            ),
            (None, _) => md::link(related, &md::relative(from, APIS)),
        }
    }

    /// `spec/authentication/smscode.yaml`: the file, not the line, so that
    /// editing one operation changes no other page.
    fn defined_in(&self, module: &Module) -> String {
        self.settings.source(&module.source)
    }

    /// Every operation with its module, in the IR's order.
    fn operations(&self) -> impl Iterator<Item = (&'a Module, &'a OperationIr)> + '_ {
        self.ir
            .modules
            .iter()
            .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
    }
}

/// `Enrollment (StrongAuthentication)`, or the tag alone when it is the title.
fn component_title(c: &ComponentIr) -> String {
    match &c.title {
        Some(title) if *title != c.name => format!("{title} ({})", c.name),
        _ => c.name.clone(),
    }
}

/// `internet`, `bluetooth`.
fn connectivity(c: Option<Connectivity>) -> &'static str {
    match c {
        Some(Connectivity::Internet) => "internet",
        Some(Connectivity::Bluetooth) => "bluetooth",
        None => "not specified",
    }
}

/// The introduction: what the book holds, and how a call works.
fn intro(ir: &Ir, settings: &Settings) -> String {
    let operations: usize = ir.modules.iter().map(|m| m.operations.len()).sum();
    let mut out = format!(
        "# {}\n\n",
        md::heading(&format!("{} {} reference", ir.sdk_name, ir.sdk_version))
    );
    let _ = writeln!(
        out,
        "The reference of the `pims` facade of the {} {}, generated from its spec ({}).\n",
        md::inline(&ir.sdk_name),
        ir.sdk_version,
        md::code(&settings.source_root)
    );
    out.push_str(concat!(
        "Apps call `pims.get|set|subscribe(api, parameters, callback)`. The callback receives a JSON ",
        "message: `transactionId`, `status` (`SUCCEEDED`, `FAILED`, or `RESULT` for the events of a ",
        "subscription), and a `result` or an `error` with its `code` and `label`.\n\n",
    ));
    let _ = writeln!(
        out,
        "- {}: {} apis, {operations} operations",
        md::link("APIs", APIS),
        ir.modules.len()
    );
    let _ = writeln!(
        out,
        "- {}: {} components",
        md::link("Components", COMPONENTS),
        ir.components.len()
    );
    let _ = writeln!(
        out,
        "- {}: {} codes",
        md::link("Error catalogue", ERRORS),
        ir.errors.len()
    );
    let _ = writeln!(out, "- {}", md::link("Changes by release", CHANGES));
    out
}

/// A table of operations (linked from `from`): title, verb, since, description.
fn operations_table<'a>(
    site: &Site<'a>,
    from: &str,
    ops: impl Iterator<Item = (&'a Module, &'a OperationIr)>,
) -> String {
    let rows: Vec<Vec<String>> = ops
        .map(|(module, op)| {
            vec![
                site.operation_link(from, module, op),
                md::code_cell(op.verb.as_str()),
                md::cell(&op.since.to_string()),
                op.description
                    .as_deref()
                    .map(md::markdown_cell)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No operations\n".to_owned();
    }
    md::table(&["Operation", "Verb", "Since", "Description"], &rows)
}

/// The index of apis: each api, what it is for, its operations.
fn apis(site: &Site<'_>) -> String {
    let mut out = String::from("# APIs\n");
    for module in &site.ir.modules {
        let _ = writeln!(out, "\n## {}\n", md::heading(&module.api));
        if let Some(d) = &module.description {
            let _ = writeln!(out, "{}\n", md::paragraphs(d));
        }
        let _ = writeln!(
            out,
            "Component: {}. Defined in {}.\n",
            site.component_link(APIS, &module.component),
            md::code(&site.defined_in(module))
        );
        out.push_str(&operations_table(
            site,
            APIS,
            module.operations.iter().map(|op| (module, op)),
        ));
    }
    out
}

/// The index of components.
fn components(site: &Site<'_>) -> String {
    let rows: Vec<Vec<String>> = site
        .ir
        .components
        .iter()
        .map(|c| {
            vec![
                // breakable between the words of its tag, to fit the column
                format!(
                    "[{}]({})",
                    md::type_name(&component_title(c)),
                    md::relative(COMPONENTS, &site.component_path(&c.name))
                ),
                md::cell(&c.compatibility.join(", ")),
                connectivity(c.connectivity).to_owned(),
                // the release, and the last update under it if there was one
                match c.updated.filter(|u| *u != c.since) {
                    Some(u) => format!("{}<br>updated in {u}", c.since),
                    None => c.since.to_string(),
                },
                c.description
                    .as_deref()
                    .map(md::markdown_cell)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = String::from("# Components\n\n");
    out.push_str(&md::table(
        &[
            "Component",
            "Compatibility",
            "Connectivity",
            "Since",
            "Description",
        ],
        &rows,
    ));
    out
}

/// The page of one component: what it is, its defaults, its operations.
fn component(site: &Site<'_>, c: &ComponentIr) -> String {
    let path = site.component_path(&c.name);
    let mut out = format!("# {}\n\n", md::heading(&component_title(c)));
    if let Some(d) = &c.description {
        let _ = writeln!(out, "{}\n", md::paragraphs(d));
    }
    let security = if c.security.is_empty() {
        "none".to_owned()
    } else {
        c.security
            .iter()
            .map(|name| {
                let d = site
                    .ir
                    .securities
                    .iter()
                    .find(|s| s.name == *name)
                    .and_then(|s| s.description.as_deref());
                match d {
                    Some(d) => format!("{} ({})", md::inline(name), md::markdown(d)),
                    None => md::inline(name),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let facts = [
        format!("**Tag:** {}", md::code(&c.name)),
        format!("**Available since:** {}", c.since),
        format!("**Last update:** {}", c.updated.unwrap_or(c.since)),
        format!(
            "**Compatibility:** {}",
            md::inline(&c.compatibility.join(", "))
        ),
        format!("**Connectivity:** {}", connectivity(c.connectivity)),
        format!("**Security:** {security}"),
        format!(
            "**Defined in:** {}",
            md::code(&format!("{}/pims.yaml", site.settings.source_root))
        ),
    ];
    for f in facts {
        let _ = writeln!(out, "- {f}");
    }
    out.push_str("\n## Operations\n\n");
    out.push_str(&operations_table(
        site,
        &path,
        site.operations().filter(|(_, op)| op.component == c.name),
    ));
    let _ = writeln!(
        out,
        "\nBack to the {}.",
        md::link("components", &md::relative(&path, COMPONENTS))
    );
    out
}

/// The anchor of a code's section in the error catalogue (an explicit
/// heading id, which mdBook keeps as written).
fn error_anchor(code: i64) -> String {
    format!("error-{code}")
}

/// The error catalogue: a table of every code, then a section per code with
/// what it means and the operations that list it.
fn errors(site: &Site<'_>) -> String {
    let mut out = String::from("# Error catalogue\n\n");
    out.push_str(concat!(
        "Every code the SDK can fail with. A `[WORD]` in a label is a placeholder the SDK may fill in ",
        "(`Missing [PARAMETER] parameter` may arrive as `Missing phoneNumber parameter`).\n\n",
    ));
    let users = |code: i64| -> Vec<(&Module, &OperationIr)> {
        site.operations()
            .filter(|(_, op)| op.errors.contains(&code))
            .collect()
    };
    let rows: Vec<Vec<String>> = site
        .ir
        .errors
        .iter()
        .map(|e| {
            vec![
                format!("[{}](#{})", e.code, error_anchor(e.code)),
                md::type_name(&e.name),
                md::breakable_cell(&e.label),
                md::cell(&e.category),
                users(e.code).len().to_string(),
            ]
        })
        .collect();
    out.push_str(&md::table(
        &["Code", "Name", "Label", "Category", "Operations"],
        &rows,
    ));
    for e in &site.ir.errors {
        let _ = writeln!(
            out,
            "\n## {} {} {{#{}}}\n",
            e.code,
            md::heading(&e.name),
            error_anchor(e.code)
        );
        let _ = writeln!(out, "- **Label:** {}", md::code(&e.label));
        let _ = writeln!(out, "- **Category:** {}", md::inline(&e.category));
        if e.sub_codes {
            out.push_str("- **Sub-codes:** the error may carry `subCode`\n");
        }
        let _ = writeln!(
            out,
            "- **Defined in:** {}",
            md::code(&format!("{}/pims.yaml", site.settings.source_root))
        );
        if let Some(d) = &e.description {
            let _ = writeln!(out, "\n{}", md::paragraphs(d));
        }
        let listed = users(e.code);
        if listed.is_empty() {
            out.push_str("\nNo operation lists it.\n");
        } else {
            out.push_str("\nListed by:\n\n");
            for (module, op) in listed {
                let _ = writeln!(out, "- {}", site.operation_link(ERRORS, module, op));
            }
        }
    }
    out
}

/// What changed in which release: components and operations introduced or
/// updated, parameters added; newest release first.
fn changes(site: &Site<'_>) -> String {
    let mut releases: BTreeMap<crate::spec::Version, Vec<String>> = BTreeMap::new();
    let mut note = |version: crate::spec::Version, line: String| {
        releases.entry(version).or_default().push(line);
    };
    for c in &site.ir.components {
        let link = site.component_link(CHANGES, &c.name);
        note(c.since, format!("New component {link}"));
        if let Some(u) = c.updated.filter(|u| *u != c.since) {
            note(u, format!("Updated component {link}"));
        }
    }
    for (module, op) in site.operations() {
        let link = site.operation_link(CHANGES, module, op);
        note(op.since, format!("New operation {link}"));
        if let Some(u) = op.updated.filter(|u| *u != op.since) {
            note(u, format!("Updated operation {link}"));
        }
        for p in &op.params {
            if let Some(since) = p.since.filter(|s| *s != op.since) {
                note(
                    since,
                    format!("New parameter {} of {link}", md::code(&p.wire)),
                );
            }
        }
    }
    let mut out = String::from("# Changes by release\n\nNewest release first.\n");
    for (version, lines) in releases.iter().rev() {
        let _ = writeln!(out, "\n## {version}\n");
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
    }
    out
}

/// `SUMMARY.md`: the indexes, then every operation grouped as the SDK's
/// reference groups them: under its component's page, then its api (a
/// chapter without a page of its own: mdBook calls it a draft). No chapter is
/// numbered (`book.toml`).
fn summary(site: &Site<'_>) -> String {
    let mut out = String::from("# Summary\n\n");
    let _ = writeln!(out, "{}\n", md::link("Introduction", INTRO));
    let _ = writeln!(out, "- {}", md::link("APIs", APIS));
    let _ = writeln!(out, "- {}", md::link("Components", COMPONENTS));
    let _ = writeln!(out, "- {}", md::link("Error catalogue", ERRORS));
    let _ = writeln!(out, "- {}", md::link("Changes by release", CHANGES));
    out.push_str("\n# Operations by component\n\n");
    for c in &site.ir.components {
        let _ = writeln!(
            out,
            "- {}",
            md::link(&component_title(c), &site.component_path(&c.name))
        );
        summary_apis(site, &c.name, &mut out);
    }
    // operations of components the manifest does not declare (`check`
    // refuses them; an IR built otherwise still gets every page listed)
    let mut undeclared: Vec<&str> = Vec::new();
    for (_, op) in site.operations() {
        if site.component(&op.component).is_none() && !undeclared.contains(&op.component.as_str()) {
            undeclared.push(&op.component);
        }
    }
    for name in undeclared {
        let _ = writeln!(out, "- {}", md::link(name, ""));
        summary_apis(site, name, &mut out);
    }
    out
}

/// The apis with operations of the component `component`, each followed by
/// those operations, as nested `SUMMARY.md` items.
fn summary_apis(site: &Site<'_>, component: &str, out: &mut String) {
    for module in &site.ir.modules {
        let mut ops = module
            .operations
            .iter()
            .filter(|op| op.component == component)
            .peekable();
        if ops.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "  - {}", md::link(&module.api, ""));
        for op in ops {
            let _ = writeln!(
                out,
                "    - {}",
                md::link(
                    &site.short_title(module, op),
                    &site.operation_path(module, op)
                )
            );
        }
    }
}

#[cfg(test)]
mod tests;
