//! `pims-codegen import`: the SDK's reference data (`../shared/sdk-data/*.yml`)
//! to a spec folder in our format.
//!
//! The reference data is hand-written and untidy: free-text types, units mixed
//! with enumerations and date masks, discriminators among the parameters,
//! shared objects copied through anchors, examples that break their own
//! enumerations, unquoted numbers that lose their leading zeros. The importer
//! maps what it can, repairs what it must, and reports every repair and every
//! guess as a warning with its line in the data file. Its output is a spec that
//! `pims-codegen check` accepts; descriptions are carried over as written, for
//! the team that imports its own data to rewrite.

mod fields;
mod names;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::emit::Files;
use crate::source::FileId;
use crate::yaml::{self, Node, Value};

use crate::yaml_out::{self, Y};

/// Something the importer repaired or could not decide.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Line in the data file (0: the file as a whole).
    pub line: u32,
    /// What it did.
    pub message: String,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The spec folder: `pims.yaml` and one file per api, by path.
    pub files: Files,
    /// Every repair and guess, by line, each once.
    pub warnings: Vec<Warning>,
}

/// The report of an import, one warning per line: `file:line: message`.
pub fn report(source: &str, warnings: &[Warning]) -> String {
    let mut out = String::new();
    for w in warnings {
        if w.line == 0 {
            out.push_str(&format!("{source}: warning: {}\n", w.message));
        } else {
            out.push_str(&format!("{source}:{}: warning: {}\n", w.line, w.message));
        }
    }
    out
}

/// Imports the reference data in `text`; `source` names it in the spec's header comments.
pub fn import_text(source: &str, text: &str) -> Result<Imported, Box<Diagnostic>> {
    let root = yaml::parse(FileId(0), text)?;
    let mut importer = Importer::default();
    let files = importer.run(source, &root);
    let warnings: Vec<Warning> = importer.warnings.into_iter().collect();
    Ok(Imported { files, warnings })
}

/// What the importer keeps while it works.
#[derive(Debug, Default)]
pub(crate) struct Importer {
    warnings: BTreeSet<Warning>,
    /// Shared objects that became named types: their field lists (as JSON) and names.
    named: Vec<(serde_json::Value, String)>,
    /// Named types actually used, by name.
    used: BTreeSet<String>,
    /// The catalogue's codes.
    codes: BTreeSet<i64>,
    /// Component tag → its compatibility.
    compat: BTreeMap<String, Vec<String>>,
}

/// A description as carried over: trailing spaces of its lines and blank
/// lines around it removed (markdown line breaks are not kept).
pub(crate) fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Reads the value at `key` of a map node.
pub(crate) fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The text of a scalar node: a string, or a number or boolean as written.
pub(crate) fn text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            Some(node.plain.clone().unwrap_or_else(|| node.show()))
        }
        _ => None,
    }
}

fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// A component's `securities`: a list of security maps, or `none`.
fn security_names(node: Option<&Node>) -> Vec<String> {
    items(node)
        .iter()
        .filter_map(|s| get(s, "name").and_then(text))
        .map(|n| n.trim().to_lowercase())
        .collect()
}

impl Importer {
    pub(crate) fn warn(&mut self, at: &Node, message: impl Into<String>) {
        self.warnings.insert(Warning {
            line: at.origin.line,
            message: message.into(),
        });
    }

    fn warn_file(&mut self, message: impl Into<String>) {
        self.warnings.insert(Warning {
            line: 0,
            message: message.into(),
        });
    }

    fn run(&mut self, source: &str, root: &Node) -> Files {
        let mut files = Files::new();
        if !matches!(root.value, Value::Map(_)) {
            self.warn_file(
                "the data is not a map of info, securities, components, errors, objects and apis",
            );
        }
        let header = |what: &str| -> Vec<String> {
            vec![
                format!(
                    "yaml-language-server: $schema=schema/{}",
                    crate::spec::FileKind::Manifest.file_name()
                ),
                format!("{what}: imported from {source} by `pims-codegen import`; edit freely."),
            ]
        };
        let manifest = self.manifest(root);
        let apis = self.apis(root);
        let mut manifest = manifest;
        let types = self.named_types(root);
        if !types.is_empty() {
            manifest.put("types", Y::Map(types));
        }
        files.insert(
            PathBuf::from("pims.yaml"),
            yaml_out::write(&header("The manifest"), &manifest),
        );
        for (api, doc) in apis {
            let Some(path) = crate::load::expected_path(&api) else {
                continue;
            };
            let depth = path.components().count() - 1;
            let mut head = header(&api);
            head[0] = format!(
                "yaml-language-server: $schema={}schema/{}",
                "../".repeat(depth),
                crate::spec::FileKind::Api.file_name()
            );
            files.insert(path, yaml_out::write(&head, &doc));
        }
        files
    }

    /// `sdk`, `securities`, `components` and `errors`.
    fn manifest(&mut self, root: &Node) -> Y {
        let mut out = Y::map();
        let info = get(root, "info");
        let mut sdk = Y::map();
        let name = info
            .and_then(|i| get(i, "title"))
            .and_then(text)
            .unwrap_or_else(|| {
                self.warn_file("`info.title` is missing: the SDK is named \"Mobile SDK\"");
                "Mobile SDK".to_owned()
            });
        sdk.put("name", Y::s(name));
        let version = info.and_then(|i| get(i, "version"));
        sdk.put("version", Y::s(self.version(version, "info.version")));
        out.put("sdk", sdk);

        let mut securities = Y::map();
        for s in items(get(root, "securities")) {
            let Some(name) = get(s, "name").and_then(text) else {
                self.warn(s, "a security without `name` is left out");
                continue;
            };
            let mut sec = Y::map();
            if let Some(d) = get(s, "description").and_then(text) {
                sec.put("description", Y::s(d.trim()));
            }
            securities.put(name.trim().to_lowercase(), sec);
        }
        out.put("securities", securities);

        let mut components = Y::map();
        for c in items(get(root, "components")) {
            let Some(tag) = get(c, "tag").and_then(text) else {
                self.warn(c, "a component without `tag` is left out");
                continue;
            };
            let mut comp = Y::map();
            if let Some(t) = get(c, "name").and_then(text) {
                comp.put("title", Y::s(t.trim()));
            }
            if let Some(d) = get(c, "description").and_then(text) {
                comp.put("description", Y::s(tidy(&d)));
            }
            let security = security_names(get(c, "securities"));
            comp.put("security", Y::Seq(security.into_iter().map(Y::s).collect()));
            let compat: Vec<String> = match get(c, "compatibilities") {
                Some(n) => match &n.value {
                    Value::Seq(list) => list.iter().filter_map(text).collect(),
                    _ => text(n).into_iter().collect(),
                },
                None => Vec::new(),
            };
            comp.put(
                "compatibility",
                Y::Seq(compat.iter().cloned().map(Y::s).collect()),
            );
            self.compat.insert(tag.clone(), compat);
            if let Some(n) = get(c, "connectivity") {
                match text(n).map(|t| t.trim().to_lowercase()) {
                    Some(t) if t == "internet" || t == "bluetooth" => {
                        comp.put("connectivity", Y::s(t))
                    }
                    _ => self.warn(
                        n,
                        format!(
                            "connectivity {} is neither internet nor bluetooth: left out",
                            n.show()
                        ),
                    ),
                }
            }
            let since = self.version(get(c, "firstAvailability"), "firstAvailability");
            comp.put("since", Y::s(since));
            if let Some(u) = get(c, "lastUpdate") {
                let updated = self.version(Some(u), "lastUpdate");
                comp.put("updated", Y::s(updated));
            }
            components.put(names::type_name(&tag), comp);
        }
        out.put("components", components);
        out.put("errors", Y::Seq(self.errors(root)));
        out
    }

    /// A release number, repaired where the data writes it loosely.
    fn version(&mut self, node: Option<&Node>, what: &str) -> String {
        let Some(node) = node else {
            self.warn_file(format!("`{what}` is missing: \"2.0\" assumed"));
            return "2.0".to_owned();
        };
        let written = text(node).unwrap_or_default();
        let trimmed = written.trim().trim_start_matches(['v', 'V']);
        let trimmed = trimmed
            .strip_suffix(".X")
            .or_else(|| trimmed.strip_suffix(".x"))
            .unwrap_or(trimmed);
        if crate::spec::Version::parse(trimmed).is_some() {
            if trimmed != written {
                self.warn(node, format!("{what} {written:?} read as \"{trimmed}\""));
            }
            trimmed.to_owned()
        } else {
            self.warn(
                node,
                format!("{what} {written:?} is not a release: \"2.0\" assumed"),
            );
            "2.0".to_owned()
        }
    }

    /// The catalogue, by code.
    fn errors(&mut self, root: &Node) -> Vec<Y> {
        let mut by_code: BTreeMap<i64, Y> = BTreeMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for e in items(get(root, "errors")) {
            let Some(code) = get(e, "code").and_then(|c| match c.value {
                Value::Int(i) => Some(i),
                _ => text(c).and_then(|t| t.trim().parse().ok()),
            }) else {
                self.warn(e, "an error without a numeric `code` is left out");
                continue;
            };
            if by_code.contains_key(&code) {
                self.warn(
                    e,
                    format!("error {code} is listed twice: the first is kept"),
                );
                continue;
            }
            let message = get(e, "message").and_then(text).unwrap_or_default();
            let label = message.trim().to_owned();
            if label.is_empty() {
                self.warn(
                    e,
                    format!("error {code} has no message: its label is its code"),
                );
            } else if label != message {
                self.warn(
                    e,
                    format!("the label of error {code} had spaces around it: trimmed"),
                );
            }
            let label = if label.is_empty() {
                code.to_string()
            } else {
                label
            };
            let category = get(e, "type")
                .and_then(text)
                .map(|t| names::category(&t))
                .unwrap_or_else(|| "generic".to_owned());
            let mut name = names::error_name(&label);
            if name.is_empty() || !taken.insert(name.clone()) {
                name = format!("{name}{code}");
                taken.insert(name.clone());
            }
            let mut entry = Y::map();
            entry.put("code", Y::Int(code));
            entry.put("name", Y::s(name));
            entry.put("category", Y::s(category));
            entry.put("label", Y::s(label));
            if get(e, "suberrors").is_some_and(|s| matches!(s.value, Value::Bool(true))) {
                entry.put("sub_codes", Y::Bool(true));
            }
            by_code.insert(code, entry);
            self.codes.insert(code);
        }
        by_code.into_values().collect()
    }

    /// Shared objects with fields become named types: those used by the apis,
    /// and those the used ones use in turn.
    fn named_types(&mut self, root: &Node) -> Vec<(String, Y)> {
        let objects = self.shared_objects(root);
        let names: Vec<String> = self.named.iter().map(|(_, n)| n.clone()).collect();
        let mut converted: BTreeMap<String, Y> = BTreeMap::new();
        loop {
            let pending: Vec<(usize, String)> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| self.used.contains(*n) && !converted.contains_key(*n))
                .map(|(i, n)| (i, n.clone()))
                .collect();
            if pending.is_empty() {
                break;
            }
            for (i, name) in pending {
                let Some(object) = objects.get(i) else {
                    continue;
                };
                let mut ty = Y::map();
                ty.put("type", Y::s("object"));
                if let Some(d) = get(object, "description").and_then(text) {
                    ty.put("description", Y::s(tidy(&d)));
                }
                let fields = self.fields(
                    items(get(object, "fields")),
                    fields::Side::Data,
                    Some(&name),
                );
                ty.put("fields", fields);
                converted.insert(name, ty);
            }
        }
        names
            .into_iter()
            .filter_map(|n| converted.remove(&n).map(|ty| (n, ty)))
            .collect()
    }

    /// The shared objects that are objects with fields, in the data's order.
    fn shared_objects<'n>(&self, root: &'n Node) -> Vec<&'n Node> {
        items(get(root, "objects"))
            .iter()
            .filter(|o| {
                get(o, "type")
                    .and_then(text)
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("object"))
                    && !items(get(o, "fields")).is_empty()
                    && get(o, "name").is_some()
            })
            .collect()
    }

    /// Registers the shared objects (before any field is converted).
    fn register_named(&mut self, root: &Node) {
        let objects = self.shared_objects(root);
        let mut names = BTreeSet::new();
        let mut registered = Vec::new();
        for o in objects {
            let raw = get(o, "name").and_then(text).unwrap_or_default();
            let mut name = names::type_name(&raw);
            if !names.insert(name.clone()) {
                name = format!("{name}{}", names.len());
            }
            let signature = get(o, "fields").map(Node::to_json).unwrap_or_default();
            registered.push((signature, name));
        }
        self.named = registered;
    }

    /// The named type whose fields are exactly `fields`, if one is.
    pub(crate) fn named_for(&mut self, fields: &Node) -> Option<String> {
        let signature = fields.to_json();
        let name = self
            .named
            .iter()
            .find(|(s, _)| *s == signature)
            .map(|(_, n)| n.clone())?;
        self.used.insert(name.clone());
        Some(name)
    }

    /// Every api file: `api name → document`.
    fn apis(&mut self, root: &Node) -> BTreeMap<String, Y> {
        self.register_named(root);
        let mut tags: BTreeMap<String, u32> = BTreeMap::new();
        let mut grouped: BTreeMap<String, Vec<fields::Op>> = BTreeMap::new();
        for entry in items(get(root, "apis")) {
            if let Some(tag) = get(entry, "tag").and_then(text) {
                *tags.entry(tag.clone()).or_default() += 1;
                if tags[&tag] == 2 {
                    self.warn(entry, format!("the tag `{tag}` is not unique"));
                }
            }
            let Some(op) = self.operation(entry) else {
                continue;
            };
            grouped.entry(op.api.clone()).or_default().push(op);
        }
        let mut out = BTreeMap::new();
        for (api, ops) in grouped {
            let doc = self.api_file(&api, ops);
            out.insert(api, doc);
        }
        out
    }

    /// One api file from its operations: twins merged, names made unique,
    /// the most common component as the file's.
    fn api_file(&mut self, api: &str, ops: Vec<fields::Op>) -> Y {
        let mut ops = self.merge_twins(ops);
        self.require_distinguishing(&mut ops);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &ops {
            *counts.entry(op.component.as_str()).or_default() += 1;
        }
        let file_component = ops
            .iter()
            .map(|o| o.component.as_str())
            .max_by_key(|c| {
                (
                    counts[c],
                    std::cmp::Reverse(ops.iter().position(|o| o.component == *c)),
                )
            })
            .unwrap_or_default()
            .to_owned();
        let names = names::operation_names(&ops, &self.compat);
        let mut doc = Y::map();
        doc.put("api", Y::s(api));
        doc.put("component", Y::s(file_component.clone()));
        let mut list = Vec::new();
        for (op, name) in ops.into_iter().zip(names) {
            list.push(op.into_yaml(name, &file_component));
        }
        doc.put("operations", Y::Seq(list));
        doc
    }

    /// Operations named after an optional parameter that the api's other
    /// operations (of the same verb) do not have: that parameter is what tells
    /// them apart, so it is required.
    fn require_distinguishing(&mut self, ops: &mut [fields::Op]) {
        let snapshot: Vec<(String, String, Vec<String>)> = ops
            .iter()
            .map(|o| (o.verb.clone(), o.base_name(), o.parameter_names()))
            .collect();
        for (i, op) in ops.iter_mut().enumerate() {
            let name = snapshot[i].1.clone();
            let others_lack = snapshot
                .iter()
                .enumerate()
                .filter(|(j, (verb, _, _))| *j != i && *verb == op.verb)
                .all(|(_, (_, _, params))| !params.contains(&name));
            let has_others = snapshot
                .iter()
                .enumerate()
                .any(|(j, (verb, _, _))| j != i && *verb == op.verb);
            if has_others && others_lack && op.make_required(&name) {
                self.warnings.insert(Warning {
                    line: op.line,
                    message: format!(
                        "`{}` {}: the optional parameter `{name}` names the operation and tells it apart: made required",
                        op.api, op.verb
                    ),
                });
            }
        }
    }

    /// The same call listed twice (under several components, or for PSA and
    /// FCA): one operation, its platforms and errors the union of both.
    fn merge_twins(&mut self, ops: Vec<fields::Op>) -> Vec<fields::Op> {
        let mut out: Vec<fields::Op> = Vec::new();
        for op in ops {
            match out.iter_mut().find(|o| o.same_call(&op)) {
                Some(first) => {
                    self.warnings.insert(Warning {
                        line: op.line,
                        message: format!(
                            "`{}` {} is the same call as the one at line {} (component {}): merged into it",
                            op.api,
                            op.verb,
                            first.line,
                            first.component
                        ),
                    });
                    let extra = self.compat.get(&op.component).cloned().unwrap_or_default();
                    first.absorb(op, &extra, &self.compat);
                }
                None => out.push(op),
            }
        }
        out
    }
}

/// Imports the data file at `path`.
pub fn import_file(path: &Path) -> Result<Imported, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?;
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    import_text(&source, &text).map_err(|d| {
        format!(
            "{}:{}:{}: {}",
            path.display(),
            d.loc.line,
            d.loc.col,
            d.message
        )
    })
}
