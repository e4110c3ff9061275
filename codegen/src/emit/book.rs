//! The IR to an mdBook: the SDK's reference, one page per operation in the
//! style of the SDK's own pages (`pims.authentication.smscode-phoneNumberCertification`),
//! plus a page per component, the error catalogue, an index of the apis and
//! what changed in which release.
//!
//! ```text
//! book.toml
//! src/SUMMARY.md
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
//! block or an mdBook directive. The book's own links are relative, between
//! generated pages. Like every emitter, this reads the IR only; output
//! follows the IR's order.

mod fields;
mod md;
mod operation;
mod samples;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::ir::{ComponentIr, Ir, Module, OperationIr};
use crate::spec::Connectivity;

use super::{Files, Settings, header};

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

/// An mdBook of the spec: `book.toml`, `src/SUMMARY.md` and its pages, by path.
pub fn book_files(ir: &Ir, settings: &Settings, command: &str) -> Result<Files, String> {
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
    add(CHANGES.to_owned(), changes(&site))?;
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
    let comment = markdown_header(command);
    let mut files = Files::new();
    for (path, text) in pages {
        files.insert(
            PathBuf::from("src").join(path),
            format!("{comment}\n\n{text}"),
        );
    }
    files.insert(PathBuf::from("book.toml"), book_toml(ir, command));
    Ok(files)
}

/// The `@generated` line of a page, as an HTML comment (that cannot be closed early).
fn markdown_header(command: &str) -> String {
    format!("<!-- {} -->", header(command).replace("-->", "-- >"))
}

/// `book.toml`: the title and the source folder, nothing else.
fn book_toml(ir: &Ir, command: &str) -> String {
    format!(
        "# {}\n[book]\ntitle = {}\nsrc = \"src\"\n",
        header(command),
        super::toml_string(&format!("{} {} reference", ir.sdk_name, ir.sdk_version))
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
                site.component_link(COMPONENTS, &c.name),
                md::cell(&c.compatibility.join(", ")),
                connectivity(c.connectivity).to_owned(),
                md::cell(&c.since.to_string()),
                md::cell(&c.updated.unwrap_or(c.since).to_string()),
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
            "Last update",
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
                md::code_cell(&e.name),
                md::cell(&e.label),
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

/// `SUMMARY.md`: every page, operations under the apis, components under their index.
fn summary(site: &Site<'_>) -> String {
    let mut out = String::from("# Summary\n\n");
    let _ = writeln!(out, "{}\n", md::link("Introduction", INTRO));
    let _ = writeln!(out, "- {}", md::link("APIs", APIS));
    for (module, op) in site.operations() {
        let _ = writeln!(out, "  - {}", site.operation_link("SUMMARY.md", module, op));
    }
    let _ = writeln!(out, "- {}", md::link("Components", COMPONENTS));
    for c in &site.ir.components {
        let _ = writeln!(
            out,
            "  - {}",
            md::link(&component_title(c), &site.component_path(&c.name))
        );
    }
    let _ = writeln!(out, "- {}", md::link("Error catalogue", ERRORS));
    let _ = writeln!(out, "- {}", md::link("Changes by release", CHANGES));
    out
}

#[cfg(test)]
mod tests;
