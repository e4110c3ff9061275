//! `pims_codegen::diff`: one fixture pair per change id (its classification
//! asserted, its rendering snapshotted), specs that say the same thing
//! differently, the two releases of the reference data, and the book's
//! Changes page.
//!
//! A fixture is `tests/specs/diff/<case>/{old,new}/` (two spec folders) and
//! `expected`: exactly the changes the pair gives, one `id wire rust path`
//! per line (`-` for the operation itself). `<case>` is a change id, or
//! `<id>.<variant>` for another direction or flavour of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pims_codegen::diff::{self, Diff, Id, Wire, render};
use pims_codegen::ir::Ir;

/// Every `*.yaml` below `dir`, as `(path relative to dir, bytes)`.
fn spec_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(root.join(rel)).expect("folder") {
            let entry = entry.expect("entry");
            let child = rel.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                walk(root, &child, out);
            } else if child.extension().is_some_and(|e| e == "yaml") {
                out.push((child, std::fs::read(entry.path()).expect("file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out);
    out.sort();
    out
}

/// A spec folder analysed, shown as `shown` (so snapshots do not depend on
/// where the checkout is); panics with its diagnostics if it has errors.
fn analysed(dir: &Path, shown: &str) -> pims_codegen::Analysis {
    let analysis = pims_codegen::analyze_files(Path::new(shown), spec_files(dir));
    assert!(
        analysis.ir().is_some(),
        "{} has errors:\n{}",
        dir.display(),
        analysis.render(pims_codegen::diag::Format::Human)
    );
    analysis
}

fn ir_of(analysis: &pims_codegen::Analysis) -> &Ir {
    analysis.ir().expect("checked")
}

/// `id wire rust path` of every change, sorted.
fn lines(diff: &Diff) -> Vec<String> {
    let mut out: Vec<String> = diff
        .changes
        .iter()
        .map(|c| {
            let path = if c.path.is_empty() { "-" } else { &c.path };
            format!("{} {} {} {path}", c.id, c.wire.as_str(), c.rust.as_str())
        })
        .collect();
    out.sort();
    out
}

fn cases() -> Vec<PathBuf> {
    let dir = crate::root().join("tests/specs/diff");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/specs/diff")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn every_change_id_has_a_fixture_pair() {
    let names: Vec<String> = cases()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for id in Id::ALL {
        assert!(
            names.iter().any(|n| n == id.as_str()),
            "no fixture tests/specs/diff/{id}/"
        );
    }
    for name in &names {
        let id = name.split('.').next().unwrap();
        assert!(
            Id::parse(id).is_some() || ["identical", "reordered", "reflowed"].contains(&id),
            "tests/specs/diff/{name} is named after no change id"
        );
    }
}

#[test]
fn fixture_pairs_give_exactly_their_changes() {
    insta::glob!("../specs/diff", "*/expected", |path| {
        let case = path.parent().unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let old = analysed(&case.join("old"), "old");
        let new = analysed(&case.join("new"), "new");
        let result = diff::compare(Some(ir_of(&old)), ir_of(&new));
        let mut expected: Vec<String> = std::fs::read_to_string(path)
            .expect("expected")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        expected.sort();
        assert_eq!(
            lines(&result),
            expected,
            "{name}: the changes differ from `expected`"
        );
        // the case's own id is among them, classified as the file says
        let id = name.split('.').next().unwrap();
        if let Some(id) = Id::parse(id) {
            assert!(
                result.changes.iter().any(|c| c.id == id),
                "{name}: no `{id}` change"
            );
        }
        let sides = render::Sides {
            old: Some(&old.sources),
            new: &new.sources,
        };
        let mut shown = render::human(&result, sides);
        shown.push_str(&render::summary(&result));
        insta::assert_snapshot!(shown);
    });
}

/// Every change of every fixture carries a location on each side, and the
/// JSON has the fields pipelines read.
#[test]
fn changes_are_located_and_serialised() {
    for case in cases() {
        let old = analysed(&case.join("old"), "old");
        let new = analysed(&case.join("new"), "new");
        let result = diff::compare(Some(ir_of(&old)), ir_of(&new));
        let sides = render::Sides {
            old: Some(&old.sources),
            new: &new.sources,
        };
        for change in &result.changes {
            let json = render::to_json(change, sides);
            for key in [
                "id",
                "api",
                "operation",
                "verb",
                "path",
                "wire",
                "rust",
                "message",
                "old",
                "new",
            ] {
                assert!(
                    json.get(key).is_some(),
                    "{}: no `{key}` in {json}",
                    case.display()
                );
            }
            if change.id == Id::SdkVersionChanged {
                continue;
            }
            let located =
                |v: &serde_json::Value, side: &str| v.as_str().is_some_and(|s| s.starts_with(side));
            assert!(
                located(&json["old"], "old/") || located(&json["new"], "new/"),
                "{}: {json} is located on neither side",
                case.display()
            );
            if change.scope.is_some() {
                assert!(json["api"].is_string() && json["verb"].is_string());
            }
        }
    }
}

/// The project's spec, loaded and lowered from its model (so it can be
/// rewritten without touching files).
fn project_spec() -> pims_codegen::spec::Spec {
    pims_codegen::load::load_dir(&crate::root().join("spec"))
        .spec
        .expect("spec/ loads")
}

fn no_change_above_info(diff: &Diff, what: &str) {
    let above: Vec<String> = diff
        .changes
        .iter()
        .filter(|c| c.wire > Wire::Info)
        .map(|c| format!("{} {}", c.id, c.message))
        .collect();
    assert!(above.is_empty(), "{what}:\n{}", above.join("\n"));
}

#[test]
fn a_spec_against_itself_shows_nothing() {
    let ir = crate::project_ir();
    let result = diff::compare(Some(&ir), &ir);
    assert!(result.changes.is_empty(), "{:?}", lines(&result));
    assert!(result.advice().ok);
}

#[test]
fn reordered_files_types_and_operations_show_nothing_above_info() {
    // the files handed over in another order
    let dir = crate::root().join("spec");
    let mut files = spec_files(&dir);
    files.reverse();
    let reversed = pims_codegen::analyze_files(Path::new("spec"), files);
    let ir = crate::project_ir();
    let result = diff::compare(Some(&ir), ir_of(&reversed));
    assert!(result.changes.is_empty(), "{:?}", lines(&result));

    // apis, named types and the operations of each api in another order
    let spec = project_spec();
    let mut shuffled = spec.clone();
    shuffled.apis.reverse();
    shuffled.manifest.types.0.reverse();
    for api in &mut shuffled.apis {
        api.types.0.reverse();
        api.operations.reverse();
    }
    assert_ne!(spec, shuffled);
    let a = pims_codegen::ir::lower(&spec).expect("lowers");
    let b = pims_codegen::ir::lower(&shuffled).expect("lowers");
    assert_ne!(a, b, "the operations' order is in the IR");
    let result = diff::compare(Some(&a), &b);
    no_change_above_info(&result, "reordered");
    assert!(result.changes.is_empty(), "{:?}", lines(&result));
}

#[test]
fn reflowed_descriptions_show_nothing_above_info() {
    fn reflow(text: &mut String) {
        *text = text.split_whitespace().collect::<Vec<_>>().join("\n  ");
    }
    fn reflow_ty(ty: &mut pims_codegen::spec::Type) {
        if let Some(d) = &mut ty.description {
            reflow(&mut d.value);
        }
        match &mut ty.kind {
            pims_codegen::spec::TypeKind::Object(o) => {
                for f in &mut o.fields.0 {
                    reflow_ty(&mut f.value.ty);
                }
            }
            pims_codegen::spec::TypeKind::Array(a) => reflow_ty(&mut a.items),
            _ => {}
        }
    }
    let spec = project_spec();
    let mut reflowed = spec.clone();
    for t in &mut reflowed.manifest.types.0 {
        reflow_ty(&mut t.value);
    }
    for api in &mut reflowed.apis {
        if let Some(d) = &mut api.description {
            reflow(&mut d.value);
        }
        for op in &mut api.operations {
            if let Some(d) = &mut op.description {
                reflow(&mut d.value);
            }
            for p in &mut op.parameters.0 {
                reflow_ty(&mut p.value.ty);
            }
            if let Some(pims_codegen::spec::Shape::Type(t)) = &mut op.result {
                reflow_ty(t);
            }
        }
    }
    assert_ne!(spec, reflowed);
    let a = pims_codegen::ir::lower(&spec).expect("lowers");
    let b = pims_codegen::ir::lower(&reflowed).expect("lowers");
    assert_ne!(a, b, "descriptions are in the IR");
    let result = diff::compare(Some(&a), &b);
    no_change_above_info(&result, "reflowed");
    assert!(result.changes.is_empty(), "{:?}", lines(&result));
}

#[test]
fn without_an_old_spec_every_operation_is_new() {
    let ir = crate::project_ir();
    let result = diff::compare(None, &ir);
    let operations: usize = ir.modules.iter().map(|m| m.operations.len()).sum();
    let added = result
        .changes
        .iter()
        .filter(|c| c.id == Id::OperationAdded)
        .count();
    assert_eq!(added, operations);
    assert!(result.changes.iter().all(|c| matches!(
        c.id,
        Id::OperationAdded | Id::CatalogueErrorAdded | Id::TypeAdded
    )));
    assert_eq!(result.old_version, None);
    assert!(result.advice().ok, "a first release needs no bump");
}

/// `../shared`, or `None` after saying the test is skipped; on CI, where the
/// data must be, its absence fails.
fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let shared = crate::shared();
    if shared.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: ../shared is not here, and CI=true: the reference data is required"
        );
        eprintln!("skipped {test}: ../shared is not present");
    }
    shared
}

/// The importer's spec of a data file, analysed.
fn imported(path: &Path) -> pims_codegen::Analysis {
    let imported = pims_codegen::import::import_file(path).expect("imports");
    let files = imported
        .files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    let analysis = pims_codegen::analyze_files(Path::new("imported"), files);
    assert!(
        analysis.ir().is_some(),
        "the import of {} lowers",
        path.display()
    );
    analysis
}

/// The data's operations, as parsed JSON.
fn data_operations(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("data");
    let data = pims_codegen::yaml::parse(Default::default(), &text)
        .expect("parses")
        .to_json();
    data["apis"].as_array().cloned().unwrap_or_default()
}

/// `(api, verb, subname)`: how the data itself names an operation (twins on
/// PSA and FCA share it and differ by component).
fn data_key(op: &serde_json::Value) -> (String, String, String) {
    let s = |k: &str| op[k].as_str().unwrap_or_default().to_owned();
    (s("apiName"), s("type"), s("subname"))
}

fn data_component(op: &serde_json::Value) -> String {
    op["component"]["tag"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn data_parameters(op: &serde_json::Value) -> Vec<String> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The entry without its descriptions (which are prose, not contract).
fn without_descriptions(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| *k != "description")
            .map(|(k, v)| (k.clone(), without_descriptions(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        serde_json::Value::Array(items) => items.iter().map(without_descriptions).collect(),
        other => other.clone(),
    }
}

/// The importer's specs of the 2.0 and 2.3 data, diffed, against what the
/// data itself says changed: the pairing of operations here is the data's
/// own (api, verb, subname, and component between twins), not the diff's.
#[test]
fn the_reference_data_from_2_0_to_2_3() {
    let Some(shared) = shared_or_skip("the_reference_data_from_2_0_to_2_3") else {
        return;
    };
    let (p0, p3) = (
        shared.join("sdk-data/mobile-sdk-v2-0.yml"),
        shared.join("sdk-data/mobile-sdk-v2-3.yml"),
    );
    let (old, new) = (imported(&p0), imported(&p3));
    let result = diff::compare(Some(ir_of(&old)), ir_of(&new));
    let (d0, d3) = (data_operations(&p0), data_operations(&p3));

    // pair the data's operations: same key, the same component among twins
    let mut used = vec![false; d3.len()];
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for (i, a) in d0.iter().enumerate() {
        let candidates: Vec<usize> = (0..d3.len())
            .filter(|&j| !used[j] && data_key(&d3[j]) == data_key(a))
            .collect();
        let pick = candidates
            .iter()
            .copied()
            .find(|&j| data_component(&d3[j]) == data_component(a))
            .or(candidates.first().copied());
        match pick {
            Some(j) => {
                used[j] = true;
                pairs.push((i, j));
            }
            None => removed.push(i),
        }
    }
    let count = |ops: &mut dyn Iterator<Item = &serde_json::Value>| {
        let mut by: BTreeMap<(String, String), usize> = BTreeMap::new();
        for op in ops {
            let (api, verb, _) = data_key(op);
            *by.entry((api, verb)).or_default() += 1;
        }
        by
    };
    let data_added = count(&mut (0..d3.len()).filter(|&j| !used[j]).map(|j| &d3[j]));
    let imported_count = |ir: &Ir| {
        let mut by: BTreeMap<(String, String), usize> = BTreeMap::new();
        for m in &ir.modules {
            for op in &m.operations {
                *by.entry((m.api.clone(), op.verb.as_str().to_owned()))
                    .or_default() += 1;
            }
        }
        by
    };
    let (raw0, raw3) = (count(&mut d0.iter()), count(&mut d3.iter()));
    let (imp0, imp3) = (imported_count(ir_of(&old)), imported_count(ir_of(&new)));
    let changes_of = |api: &str, verb: &str, id: Id| {
        result
            .changes
            .iter()
            .filter(|c| {
                c.id == id
                    && c.scope
                        .as_ref()
                        .is_some_and(|s| s.api == api && s.verb.as_str() == verb)
            })
            .count()
    };

    // every operation the data added is operation-added, except twins the
    // importer folds into one operation (they widen its platforms instead)
    let mut total_added = 0;
    for ((api, verb), added) in &data_added {
        let folded = |raw: &BTreeMap<_, usize>, imp: &BTreeMap<_, usize>| {
            let k = (api.clone(), verb.clone());
            raw.get(&k).copied().unwrap_or(0) - imp.get(&k).copied().unwrap_or(0)
        };
        let newly_folded = folded(&raw3, &imp3).saturating_sub(folded(&raw0, &imp0));
        let expected = added - newly_folded;
        assert_eq!(
            changes_of(api, verb, Id::OperationAdded),
            expected,
            "{verb} {api}: the data adds {added} operations ({newly_folded} folded into a twin)"
        );
        if newly_folded > 0 {
            assert!(
                changes_of(api, verb, Id::PlatformsChanged) > 0,
                "{verb} {api}: a folded twin widens the platforms"
            );
        }
        total_added += expected;
    }
    let reported_added = result
        .changes
        .iter()
        .filter(|c| c.id == Id::OperationAdded)
        .count();
    assert_eq!(reported_added, total_added, "no other operation-added");
    assert!(total_added >= 40, "the data adds dozens of operations");

    // what the data removed is removed
    for &i in &removed {
        let (api, verb, _) = data_key(&d0[i]);
        assert!(
            changes_of(&api, &verb, Id::OperationRemoved) > 0,
            "{verb} {api}: removed in the data"
        );
    }

    // every parameter the data removed, as a removal naming it
    let mut checked = 0;
    for &(i, j) in &pairs {
        let now = data_parameters(&d3[j]);
        for name in data_parameters(&d0[i]).iter().filter(|p| !now.contains(p)) {
            let (api, verb, _) = data_key(&d0[i]);
            let found = result.changes.iter().any(|c| {
                matches!(c.id, Id::ParameterRemoved | Id::SelectorChanged)
                    && (c.path == format!("parameters.{name}")
                        || c.path == format!("selector.{name}"))
                    && c.scope
                        .as_ref()
                        .is_some_and(|s| s.api == api && s.verb.as_str() == verb)
            });
            assert!(found, "{verb} {api}: the data removed the parameter {name}");
            checked += 1;
        }
    }
    assert!(checked >= 5, "the data removes several parameters");

    // where the data did not change (descriptions aside), nothing above
    // info: the operations of an (api, verb) whose every entry is unchanged
    let mut quiet: BTreeMap<(String, String), bool> = BTreeMap::new();
    for &(i, j) in &pairs {
        let (api, verb, _) = data_key(&d0[i]);
        let same = without_descriptions(&d0[i]) == without_descriptions(&d3[j]);
        let e = quiet.entry((api, verb)).or_insert(true);
        *e &= same;
    }
    for ((api, verb), _) in data_added.iter() {
        quiet.insert((api.clone(), verb.clone()), false);
    }
    for &i in &removed {
        let (api, verb, _) = data_key(&d0[i]);
        quiet.insert((api, verb), false);
    }
    let mut unchanged = 0;
    for ((api, verb), still) in &quiet {
        if !still {
            continue;
        }
        unchanged += 1;
        let loud: Vec<String> = result
            .changes
            .iter()
            .filter(|c| {
                c.wire > Wire::Info
                    && c.scope
                        .as_ref()
                        .is_some_and(|s| s.api == *api && s.verb.as_str() == verb)
            })
            .map(|c| format!("{} {}", c.id, c.message))
            .collect();
        assert!(
            loud.is_empty(),
            "{verb} {api} did not change in the data:\n{}",
            loud.join("\n")
        );
    }
    assert!(
        unchanged >= 5,
        "several operations did not change ({unchanged})"
    );
}

/// Sentences (four words or more) of the data's descriptions, and its labels.
fn data_prose(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if (k == "description" || k == "label")
                    && let Some(text) = v.as_str()
                {
                    for part in text.split(['.', '!', '?', '\n']) {
                        let words: Vec<&str> = part.split_whitespace().collect();
                        if words.len() >= 4 {
                            out.push(words.join(" ").to_lowercase());
                        }
                    }
                }
                data_prose(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| data_prose(v, out)),
        _ => {}
    }
}

/// The checked-in Changes page compares `spec/` with the 2.0 data, so that
/// a checkout without `../shared` keeps it.
#[test]
fn the_project_book_compares_spec_with_the_2_0_data() {
    let page = std::fs::read_to_string(crate::root().join(xtask::CHANGES_PAGE)).expect("the page");
    assert!(
        page.contains("# Changes by release"),
        "the changes by release stay"
    );
    assert!(
        page.contains(", compared with 2.0\n"),
        "the checked-in page has the comparison with the 2.0 data"
    );
    // every link of the page leads to a page of the book
    let src = crate::root().join("docs/reference/src");
    let mut links = 0;
    for part in page.split("](").skip(1) {
        let target = part.split(')').next().unwrap_or_default();
        assert!(
            src.join(target).is_file(),
            "the link {target} leads nowhere"
        );
        links += 1;
    }
    assert!(links > 50, "only {links} links");
    let Some(shared) = shared_or_skip("the_project_book_compares_spec_with_the_2_0_data") else {
        return;
    };
    let data = shared.join("sdk-data/mobile-sdk-v2-0.yml");
    let old = imported(&data);
    let spec = crate::project_ir();
    let result = diff::compare(Some(ir_of(&old)), &spec);
    // every operation spec/ has and 2.0 had not is linked from the page
    for c in result.changes.iter().filter(|c| c.id == Id::OperationAdded) {
        let s = c.scope.as_ref().unwrap();
        let link = format!("(apis/{}/{}.md)", s.api, s.operation);
        assert!(
            page.contains(&link),
            "the page links the new operation {link}"
        );
    }
    let (b, _, _) = result.counts();
    assert!(page.contains(&format!(": {b} breaking for apps built on the older spec")));
    // facts from the data, never its prose
    let text = std::fs::read_to_string(&data).expect("data");
    let json = pims_codegen::yaml::parse(Default::default(), &text)
        .expect("parses")
        .to_json();
    let mut prose = Vec::new();
    data_prose(&json, &mut prose);
    let lower = page.to_lowercase();
    let copied: Vec<&String> = prose
        .iter()
        .filter(|s| lower.contains(s.as_str()))
        .collect();
    assert!(copied.is_empty(), "the page repeats the data: {copied:?}");
}

/// Names and values from a spec reach the changelog as code, never as
/// Markdown or HTML.
#[test]
fn the_changelog_escapes_what_comes_from_a_spec() {
    let case = crate::root().join("tests/specs/diff/enum-member-added");
    let old = analysed(&case.join("old"), "old");
    let text = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        spec_files(dir)
            .into_iter()
            .map(|(p, b)| {
                let t = String::from_utf8(b).unwrap().replace(
                    "values: [business, private, mixed]",
                    "values: [business, private, \"a`b <script>x</script> *c*\"]",
                );
                (p, t.into_bytes())
            })
            .collect()
    };
    let new = pims_codegen::analyze_files(Path::new("new"), text(&case.join("new")));
    let new_ir = new.ir().expect("checks");
    let result = diff::compare(Some(ir_of(&old)), new_ir);
    let md = pims_codegen::emit::book::changes::changelog(&result, new_ir);
    assert!(
        md.contains("``a`b <script>x</script> *c*``"),
        "a code span longer than the backticks inside:\n{md}"
    );
    assert_eq!(
        md.matches("<script>").count(),
        1,
        "only inside that span:\n{md}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Where `../shared` is missing, `cargo xtask codegen` keeps the checked-in
/// Changes page (it cannot be regenerated there), and says so.
#[test]
fn without_the_data_the_changes_page_is_kept_as_checked_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("checkout");
    copy_dir(&crate::root().join("spec"), &root.join("spec"));
    assert!(
        xtask::baseline(&root).is_none(),
        "no ../shared next to the copy"
    );
    assert!(xtask::changes_note(&root).is_some_and(|n| n.contains("kept as checked in")));
    let page = Path::new(xtask::CHANGES_PAGE);

    // no page yet: the page of the spec alone
    let files = xtask::files(&root).unwrap_or_else(|e| panic!("{}", e.render()));
    let plain = &files[page];
    assert!(plain.contains("# Changes by release") && !plain.contains("compared with"));

    // a checked-in page: kept as it is, whatever it says
    let kept = "<!-- @generated by `cargo xtask codegen`; do not edit. -->\n\nkept\n";
    std::fs::create_dir_all(root.join(page).parent().unwrap()).expect("folder");
    std::fs::write(root.join(page), kept).expect("page");
    let files = xtask::files(&root).unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(files[page], kept);
    // and every other file is what the project generates
    let ours = xtask::files(&crate::root()).expect("spec/ checks");
    for (path, text) in &files {
        if path != page {
            assert_eq!(Some(text), ours.get(path), "{}", path.display());
        }
    }
}
