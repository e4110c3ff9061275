//! The reference book (`pims_codegen::emit::book`): the seed operation's page
//! carries every fact of the SDK's page, links resolve, output is stable.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use pims_codegen::emit::Files;
use pims_codegen::emit::book::book_files;
use serde_json::{Value, json};

const COMMAND: &str = "pims-codegen book";
const SEED_PAGE: &str = "src/apis/pims.authentication.smscode/phoneNumberCertification.md";

/// The book of a spec folder, shown as `shown`.
fn book_of(dir: &Path, shown: &str) -> Files {
    let analysis = pims_codegen::analyze(dir);
    assert!(!analysis.diagnostics.has_errors(), "{shown} has errors");
    let ir = analysis.ir().cloned().expect("the spec lowers");
    book_files(&ir, &crate::settings(shown), COMMAND).expect("the book is generated")
}

/// The book of the project's `spec/`.
fn project_book() -> Files {
    book_of(&crate::root().join("spec"), "spec")
}

/// The book of `tests/specs/good` (subscriptions, nested and recursive types).
fn good_book() -> Files {
    book_of(&crate::root().join("tests/specs/good"), "tests/specs/good")
}

fn page<'a>(files: &'a Files, path: &str) -> &'a str {
    files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} is generated"))
}

/// A table cell back to its text: `<br>` to newlines, entities and backslash escapes undone.
fn unescape(cell: &str) -> String {
    let text = cell
        .replace("<br>", "\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
}

/// The cells of a table row, split at unescaped `|`.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => out.push(String::new()),
            c => {
                escaped = c == '\\' && !escaped;
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out.pop(); // after the closing `|`
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The field path of a Name cell (`vehicle.<wbr>status<br>*required*` →
/// `vehicle.status`), and whether it is marked required.
fn field_name(cell: &str) -> (String, bool) {
    let mut lines = cell.split("<br>");
    let name = unescape(&lines.next().unwrap_or_default().replace("<wbr>", ""));
    (name, lines.any(|l| l == "*required*"))
}

/// The rows (below header and separator) of the first table after `heading`.
fn table_after(text: &str, heading: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip_while(|l| *l != heading)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(cells)
        .collect()
}

/// The fenced blocks of a page with their info string (fences of any length).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for line in text.lines() {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        match open.as_mut() {
            None if ticks >= 3 => open = Some((ticks, line[ticks..].to_owned(), String::new())),
            Some((n, _, _)) if ticks >= *n && line.trim_start_matches('`').trim().is_empty() => {
                if let Some((_, info, body)) = open.take() {
                    out.push((info, body));
                }
            }
            Some((_, _, body)) => {
                body.push_str(line);
                body.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "a fenced block is left open");
    out
}

#[test]
fn the_seed_operation_page_carries_every_fact_of_the_sdk_page() {
    let files = project_book();
    let text = page(&files, SEED_PAGE);
    let facts = crate::seed::facts();

    assert!(
        text.contains("\n# pims.authentication.smscode-phoneNumberCertification\n"),
        "the SDK's title"
    );
    let params = table_after(text, "## Input parameters");
    assert!(
        params.iter().all(|r| r.len() == 3),
        "name, type, description: {params:?}"
    );
    let names: Vec<Value> = params.iter().map(|r| json!(field_name(&r[0]).0)).collect();
    assert_eq!(Value::Array(names), facts["parameter_rows"]);
    assert_eq!(params[0][1], "String");
    assert!(field_name(&params[0][0]).1, "the selector is required");
    assert!(field_name(&params[1][0]).1, "the phone number is required");
    assert!(params[0][2].contains("always `phoneNumberCertification`"));
    let phone = &params[1][2];
    assert!(
        phone.starts_with(
            "The phone number to certify, digits only, with an optional leading `+`.<br>"
        ),
        "the description's code span is rendered: {phone}"
    );
    assert!(phone.contains("<br>Format: phone<br>"), "{phone}");
    assert!(
        phone.contains("<br>Pattern: `^\\+?[0-9]{6,15}$`<br>"),
        "{phone}"
    );
    assert!(phone.ends_with("<br>Example: `\"0612345678\"`"), "{phone}");
    assert!(!text.contains("\\`"), "no literal backtick on the page");

    let errors: Vec<Value> = table_after(text, "## Errors")
        .iter()
        .map(|r| {
            let code = r[0]
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default();
            json!([code.parse::<i64>().expect("a code"), unescape(&r[1])])
        })
        .collect();
    assert_eq!(Value::Array(errors), facts["error_rows"], "exact labels");

    let blocks = fenced_blocks(text);
    let code = |lang: &str| -> &str {
        &blocks
            .iter()
            .find(|(info, _)| info == lang)
            .unwrap_or_else(|| panic!("a {lang} block"))
            .1
    };
    let kotlin = code("kotlin");
    assert!(kotlin.starts_with("pims.get(\"pims.authentication.smscode\",\n"));
    assert_eq!(
        Value::Array(crate::seed::kotlin_pairs(kotlin)),
        facts["kotlin_parameters"]
    );
    let swift = code("swift");
    assert!(swift.starts_with("pims.get(api: \"pims.authentication.smscode\",\n"));
    assert_eq!(
        Value::Array(crate::seed::swift_pairs(swift)),
        facts["swift_parameters"]
    );
    assert!(swift.contains("\"SUCCEEDED\""));
    assert!(!text.contains("SUCEEDED"), "the SDK page's typo is fixed");
    assert!(code("rust,ignore").contains("PhoneNumberCertification::new(\"0612345678\")"));

    let messages: Vec<Value> = blocks
        .iter()
        .filter(|(info, _)| info == "json")
        .map(|(_, body)| serde_json::from_str(body).expect("a message is JSON"))
        .collect();
    assert_eq!(Value::Array(messages), facts["messages"]);
    assert_eq!(facts["messages"].as_array().map(Vec::len), Some(8));

    assert!(
        text.contains("`spec/authentication/smscode.yaml`"),
        "where it is defined"
    );
}

#[test]
fn nested_results_are_dotted_paths_and_recursion_stops() {
    let files = good_book();
    let status = page(&files, "src/apis/pims.garage.door/doorStatus.md");
    let paths: Vec<String> = table_after(status, "## Output data")
        .iter()
        .map(|r| field_name(&r[0]).0)
        .collect();
    for expected in [
        "state",
        "location",
        "location.latitude",
        "motor.health.lastService.date",
        "motor.health.lastService.technician",
        "warnings",
        "warnings[].code",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
    let roots = page(&files, "src/apis/pims.home.files/rootFolders.md");
    let paths: Vec<String> = table_after(roots, "## Output data")
        .iter()
        .map(|r| field_name(&r[0]).0)
        .collect();
    assert_eq!(
        paths,
        ["[]", "[].name", "[].children"],
        "a bare array of a recursive type"
    );
    assert!(roots.contains("Recursive: `Folder` again"));
    let zones = page(&files, "src/apis/pims.garage.sensors/setZones.md");
    let params: Vec<String> = table_after(zones, "## Input parameters")
        .iter()
        .map(|r| field_name(&r[0]).0)
        .collect();
    assert_eq!(
        params,
        ["action", "zones", "zones[].label", "zones[].sensors"]
    );
    let events = page(&files, "src/apis/pims.garage.door/doorEvents.md");
    assert!(events.contains("\"RESULT\" ->"), "Kotlin handles events");
    assert!(events.contains("else if message[\"status\"] == \"RESULT\""));
    assert!(events.contains("\"status\": \"RESULT\""));
    assert!(events.contains("## Event data"));
}

#[test]
fn changes_are_grouped_by_release_newest_first() {
    let files = good_book();
    let changes = page(&files, "src/changes.md");
    let releases: Vec<&str> = changes
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    assert_eq!(releases, ["1.4", "1.3", "1.2", "1.1", "1.0"]);
    let release_1_2 = changes
        .split("\n## ")
        .find(|s| s.starts_with("1.2\n"))
        .expect("release 1.2");
    for line in [
        "- New component [Home Storage (Storage)](components/Storage.md)",
        "- Updated operation [pims.garage.door-close](apis/pims.garage.door/closeDoor.md)",
        "- New parameter `delay` of [pims.garage.door-close](apis/pims.garage.door/closeDoor.md)",
    ] {
        assert!(release_1_2.contains(line), "{line}");
    }
}

/// The catalogue, the summary and a page with a nested result from
/// `tests/specs/good`, which stays small and still while `spec/` grows (the
/// book of `spec/` is checked in and drift-checked: it is not snapshotted).
#[test]
fn snapshots_of_representative_pages() {
    let good = good_book();
    insta::assert_snapshot!(
        "book_good_door_status",
        page(&good, "src/apis/pims.garage.door/doorStatus.md")
    );
    insta::assert_snapshot!("book_good_errors", page(&good, "src/errors.md"));
    insta::assert_snapshot!("book_good_summary", page(&good, "src/SUMMARY.md"));
}

/// `a/b/../c.md` → `a/c.md`; `None` when it leaves the book.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// The targets of the markdown links of `text` (`](target)`): the page
/// (empty for the same page) and the fragment.
fn link_targets(text: &str) -> Vec<(String, Option<String>)> {
    text.match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            let target = &rest[..rest.find(')')?];
            Some(match target.split_once('#') {
                Some((page, fragment)) => (page.to_owned(), Some(fragment.to_owned())),
                None => (target.to_owned(), None),
            })
        })
        .collect()
}

fn assert_links_resolve(files: &Files) {
    let mut checked = 0;
    for (path, text) in files {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        for (target, fragment) in link_targets(text) {
            // a link of the spec's own text, to the web or a mailbox
            if ["http://", "https://", "mailto:"]
                .iter()
                .any(|s| target.starts_with(s))
            {
                continue;
            }
            // a group of the summary without a page of its own (an api)
            if target.is_empty() && fragment.is_none() && path.ends_with("SUMMARY.md") {
                continue;
            }
            let page = if target.is_empty() {
                Some(text.as_str())
            } else {
                assert!(
                    target.ends_with(".md"),
                    "{}: a link to {target:?}, not a page",
                    path.display()
                );
                normalize(&dir.join(&target))
                    .and_then(|p| files.get(&p))
                    .map(String::as_str)
            };
            let Some(page) = page else {
                panic!("{}: {target} does not resolve", path.display());
            };
            if let Some(fragment) = fragment {
                assert!(
                    page.contains(&format!("{{#{fragment}}}")),
                    "{}: {target}#{fragment}: no such heading id",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn every_link_resolves_to_a_generated_page() {
    assert_links_resolve(&project_book());
    assert_links_resolve(&good_book());
}

#[test]
fn every_page_is_in_the_summary() {
    for files in [project_book(), good_book()] {
        let summary = page(&files, "src/SUMMARY.md");
        let listed: BTreeSet<String> = link_targets(summary).into_iter().map(|t| t.0).collect();
        for path in files.keys() {
            let Ok(rel) = path.strip_prefix("src") else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != "SUMMARY.md" {
                assert!(listed.contains(&rel), "{rel} is not in SUMMARY.md");
            }
        }
    }
}

#[test]
fn the_book_is_deterministic_and_marked_generated() {
    let first = project_book();
    let second = project_book();
    assert_eq!(first, second);
    assert_eq!(good_book(), good_book());
    for (path, text) in &first {
        assert!(
            pims_codegen::emit::is_ours(path, text.as_bytes(), "pims-codegen book"),
            "{} does not start with this generator's header",
            path.display()
        );
    }
    let toml = page(&first, "book.toml");
    assert!(toml.contains("title = \"Mobile SDK 2.3 reference\"\nsrc = \"src\"\n"));
    assert!(page(&first, "src/SUMMARY.md").starts_with(
        "<!-- @generated by pims-codegen: do not edit; regenerate with `pims-codegen book`. -->\n"
    ));
}

/// `- [text](target)` items of a summary: (indent, text, target).
fn summary_items(summary: &str) -> Vec<(usize, String, String)> {
    summary
        .lines()
        .filter_map(|line| {
            let item = line.trim_start();
            let indent = line.len() - item.len();
            let item = item.strip_prefix("- [")?;
            let (text, rest) = item.rsplit_once("](")?;
            Some((indent, text.to_owned(), rest.strip_suffix(')')?.to_owned()))
        })
        .collect()
}

/// The sidebar groups the operations as the SDK's reference does: each under
/// its api, each api under the component of its operations; nothing is
/// numbered, and no list runs flat through every operation.
#[test]
fn the_sidebar_groups_operations_by_component_then_api() {
    for files in [project_book(), good_book()] {
        let toml = page(&files, "book.toml");
        assert!(
            toml.contains("[output.html]\nno-section-label = true\n"),
            "{toml}"
        );
        let summary = page(&files, "src/SUMMARY.md");
        let (indexes, grouped) = summary
            .split_once("\n# Operations by component\n")
            .expect("the part of the operations");
        let index_items = summary_items(indexes);
        assert!(
            index_items.iter().all(|(indent, _, _)| *indent == 0),
            "the indexes are flat and short: {index_items:?}"
        );
        let items = summary_items(grouped);
        let operations: Vec<&PathBuf> = files
            .keys()
            .filter(|p| p.starts_with("src/apis") && p.components().count() == 4)
            .collect();
        assert!(operations.len() > 5);
        let (mut component, mut api): (Option<&str>, Option<&str>) = (None, None);
        let mut listed = 0;
        for (indent, text, target) in &items {
            match indent {
                0 => {
                    component = Some(target);
                    api = None;
                }
                2 => {
                    assert_eq!(target, "", "an api is a group, not a page: {text}");
                    api = Some(text);
                }
                4 => {
                    let (Some(component), Some(api)) = (component, api) else {
                        panic!("{text} is outside a component and an api");
                    };
                    assert!(
                        target.starts_with(&format!("apis/{api}/")),
                        "{target} is under the api {api}"
                    );
                    let component_page = page(&files, &format!("src/{component}"));
                    assert!(
                        component_page.contains(&format!("](../{target})")),
                        "{target} is under {component}, which does not list it"
                    );
                    listed += 1;
                }
                _ => panic!("unexpected depth {indent}: {text}"),
            }
        }
        assert_eq!(listed, operations.len(), "every operation, once");
        let top: Vec<&String> = items.iter().filter(|i| i.0 == 0).map(|i| &i.2).collect();
        assert!(
            top.iter().all(|t| t.starts_with("components/")),
            "the groups are components: {top:?}"
        );
        assert!(
            top.len() < operations.len() / 2,
            "{} groups for {} operations",
            top.len(),
            operations.len()
        );
    }
}
