//! `pims-codegen new`: the scaffold of a new api file, or a new operation in
//! an existing one, that `check` accepts.
//!
//! A new file gets the editor's `$schema` line, the component (given, or the
//! one its sibling apis share), and one operation with `since` = the spec's
//! SDK release and the error codes every operation of that component lists.
//! An operation added to an existing file is inserted after the last one,
//! with the file's own indentation; the rest of the file (comments included)
//! is kept as written. YAML is written by [`crate::yaml_out`], the importer's
//! writer. The result is checked before anything is written: a scaffold that
//! would not check is refused.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::spec::{Spec, Verb};
use crate::yaml_out::{self, Y};

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    /// The api file, relative to the spec folder.
    pub path: PathBuf,
    /// Its whole new text.
    pub text: String,
    /// Whether the file is new (otherwise an operation was added).
    pub created: bool,
    /// The operation written.
    pub operation: String,
}

/// The scaffold for `target` (`pims.a.b` or `pims.a.b#operation`) in the spec
/// `spec`, whose file `existing` holds the api's current text if it has one.
pub fn scaffold(
    spec: &Spec,
    target: &str,
    existing: Option<&str>,
    component: Option<&str>,
    verb: Verb,
) -> Result<Scaffold, String> {
    let (api, operation) = match target.split_once('#') {
        Some((api, op)) => (api, Some(op)),
        None => (target, None),
    };
    api_name(api)?;
    let path = crate::load::expected_path(api)
        .ok_or_else(|| format!("`{api}` is not an api name: expected pims.<group>.<api>"))?;
    let operation = match operation {
        Some(name) => operation_name(name)?.to_owned(),
        None => api.rsplit('.').next().unwrap_or(api).to_owned(),
    };
    let file = spec.apis.iter().find(|a| a.api.as_str() == api);
    if let Some(file) = file
        && let Some(op) = file
            .operations
            .iter()
            .find(|o| o.name.as_str() == operation)
    {
        return Err(format!(
            "{api} already has an operation `{}` (line {}): name the new one, e.g. `pims-codegen new {api}#{}Other`",
            operation, op.name.loc.line, operation
        ));
    }
    let component = match (component, file) {
        (Some(c), _) => {
            let known: Vec<&str> = spec.manifest.components.names().collect();
            if !known.contains(&c) {
                return Err(format!(
                    "unknown component `{c}`{}: expected {}",
                    crate::diag::did_you_mean(c, known.iter().copied())
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default(),
                    crate::diag::one_of(&known)
                ));
            }
            c.to_owned()
        }
        (None, Some(file)) => file.component.value.clone(),
        (None, None) => infer_component(spec, api)?,
    };
    let op = operation_yaml(spec, &operation, &component, verb, file.is_some());
    match existing {
        None => {
            let depth = path.components().count().saturating_sub(1);
            let header = vec![
                format!(
                    "yaml-language-server: $schema={}schema/{}",
                    "../".repeat(depth),
                    crate::spec::FileKind::Api.file_name()
                ),
                "Written by `pims-codegen new`: describe the api and its operation, their parameters, result and errors (docs/spec-format.md).".to_owned(),
            ];
            let mut doc = Y::map();
            doc.put("api", Y::s(api));
            doc.put("component", Y::s(&component));
            doc.put("operations", Y::Seq(vec![op]));
            Ok(Scaffold {
                path,
                text: yaml_out::write(&header, &doc),
                created: true,
                operation,
            })
        }
        Some(text) => Ok(Scaffold {
            path,
            text: insert_operation(text, &op)?,
            created: false,
            operation,
        }),
    }
}

/// `pims.<lowercase segments>`.
fn api_name(api: &str) -> Result<(), String> {
    let rest = api.strip_prefix("pims.").ok_or_else(|| {
        format!("`{api}` is not an api name: apis are named pims.<group>.<api>, e.g. pims.vehicle.tirepressure")
    })?;
    let ok = !rest.is_empty()
        && rest.split('.').all(|s| {
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{api}` is not an api name: segments are lowercase letters and digits (did you mean `pims.{}`?)",
            rest.to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "")
        ))
    }
}

/// lowerCamel letters and digits.
fn operation_name(name: &str) -> Result<&str, String> {
    if name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        Ok(name)
    } else {
        Err(format!(
            "`{name}` is not an operation name: letters and digits, starting with a lowercase letter, e.g. `tirePressure`"
        ))
    }
}

/// The component of the apis that share `api`'s group, when they agree.
fn infer_component(spec: &Spec, api: &str) -> Result<String, String> {
    let group = api.rsplit_once('.').map_or(api, |(g, _)| g);
    let siblings: BTreeSet<&str> = spec
        .apis
        .iter()
        .filter(|a| a.api.rsplit_once('.').is_some_and(|(g, _)| g == group))
        .map(|a| a.component.as_str())
        .collect();
    let known: Vec<&str> = spec.manifest.components.names().collect();
    match (siblings.len(), known.len()) {
        (1, _) => Ok(siblings.into_iter().next().unwrap_or_default().to_owned()),
        (0, 1) => Ok(known[0].to_owned()),
        _ => Err(format!(
            "which component is {api} in? give --component: {}",
            crate::diag::one_of(&known)
        )),
    }
}

/// The new operation: name, verb, since, and the codes every operation of
/// `component` lists (an empty list when they share none).
fn operation_yaml(spec: &Spec, name: &str, component: &str, verb: Verb, added: bool) -> Y {
    let mut shared: Option<BTreeSet<i64>> = None;
    for api in &spec.apis {
        for op in &api.operations {
            let c = op.component.as_ref().unwrap_or(&api.component);
            if c.as_str() != component {
                continue;
            }
            let codes: BTreeSet<i64> = op.errors.iter().map(|c| c.value).collect();
            shared = Some(match shared {
                None => codes,
                Some(s) => s.intersection(&codes).copied().collect(),
            });
        }
    }
    let mut op = Y::map();
    op.put("name", Y::s(name));
    op.put("verb", Y::s(verb.as_str()));
    op.put("since", Y::s(spec.manifest.sdk.version.value.to_string()));
    if added {
        // told apart from the other operations of the api
        let mut selector = Y::map();
        selector.put(
            if verb == Verb::Set { "action" } else { "type" },
            Y::s(name),
        );
        op.put("selector", selector);
    }
    op.put(
        "errors",
        Y::Seq(shared.unwrap_or_default().into_iter().map(Y::Int).collect()),
    );
    op
}

/// `text` with `op` after the last item of its top-level `operations:`
/// list, indented as that list is.
fn insert_operation(text: &str, op: &Y) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("operations:"))
        .ok_or("the api file has no top-level `operations:` to add to")?;
    let mut doc = Y::map();
    doc.put("operations", Y::Seq(vec![op.clone()]));
    let written = yaml_out::write(&[], &doc);
    let block: Vec<&str> = written.lines().skip(1).collect();
    let inline = lines[start].trim_end();
    if inline != "operations:" {
        if inline == "operations: []" {
            let mut out: String = lines[..start].concat();
            out.push_str("operations:\n");
            for l in &block {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str(&lines[start + 1..].concat());
            return Ok(out);
        }
        return Err(
            "`operations:` is written in flow style: write it as a block list to add to it".into(),
        );
    }
    // the list ends before the next top-level line (a key, not a comment)
    let end = lines[start + 1..]
        .iter()
        .position(|l| !l.starts_with([' ', '\t', '-', '#', '\n', '\r']) && !l.trim().is_empty())
        .map_or(lines.len(), |i| start + 1 + i);
    let indent = lines[start + 1..end]
        .iter()
        .find_map(|l| {
            let trimmed = l.trim_start_matches(' ');
            trimmed.starts_with("- ").then(|| l.len() - trimmed.len())
        })
        .unwrap_or(2);
    // the last item's content ends at the last non-blank line of the list
    let mut cut = end;
    while cut > start + 1 && lines[cut - 1].trim().is_empty() {
        cut -= 1;
    }
    let mut out: String = lines[..cut].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    for l in &block {
        let l = l.strip_prefix("  ").unwrap_or(l);
        out.push_str(&" ".repeat(indent));
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&lines[cut..].concat());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_goes_after_the_last_one_with_the_files_indentation() {
        let text = "api: pims.a.b\ncomponent: C\noperations:\n    - name: one\n      verb: get\n      # a comment\n      errors: [2001]\n\ntypes:\n  T: { type: string }\n";
        let mut op = Y::map();
        op.put("name", Y::s("two"));
        op.put("verb", Y::s("set"));
        let out = insert_operation(text, &op).unwrap();
        assert_eq!(
            out,
            "api: pims.a.b\ncomponent: C\noperations:\n    - name: one\n      verb: get\n      # a comment\n      errors: [2001]\n\n    - name: two\n      verb: set\n\ntypes:\n  T: { type: string }\n"
        );
        let empty = insert_operation("api: pims.a.b\noperations: []\n", &op).unwrap();
        assert_eq!(
            empty,
            "api: pims.a.b\noperations:\n  - name: two\n    verb: set\n"
        );
    }

    #[test]
    fn names_are_checked_with_a_hint() {
        assert!(api_name("pims.vehicle.tirepressure").is_ok());
        let e = api_name("pims.Vehicle.tire_pressure").unwrap_err();
        assert!(
            e.contains("did you mean `pims.vehicle.tirepressure`?"),
            "{e}"
        );
        assert!(api_name("vehicle.tirepressure").is_err());
        assert!(operation_name("TirePressure").is_err());
    }
}
