//! Bad specs, one case per rule: every case is refused, with located
//! diagnostics, and the rendering is snapshotted.
//!
//! A case is `tests/specs/bad/<rule>.yaml`: one or more files, each introduced
//! by a line `# file: <path in the spec folder>`. They are checked on top of
//! the project's `spec/pims.yaml` (a case may replace it with `# file: pims.yaml`,
//! or go without it: a first line `# without: pims.yaml`). Its `# fix:` lines
//! fix it; `pims-codegen explain` shows both (see `pims_codegen::explain`).

use pims_codegen::diag::{Format, Severity, render};
use pims_codegen::explain;

fn analyze_case(text: &str) -> pims_codegen::Analysis {
    assert!(
        !explain::case_files(text).is_empty(),
        "a case starts with `# file: <path>`"
    );
    explain::analyze(text)
}

#[test]
fn bad_specs_are_refused_with_located_diagnostics() {
    insta::glob!("../specs/bad", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("case");
        let analysis = analyze_case(&text);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let list = analysis.diagnostics.clone().sorted(&analysis.sources);
        assert!(!list.is_empty(), "{name}: no diagnostic");
        let warnings_only = name.starts_with("warn-");
        if warnings_only {
            assert!(
                list.iter().all(|d| d.severity == Severity::Warning),
                "{name}: only warnings expected"
            );
        } else {
            assert!(analysis.diagnostics.has_errors(), "{name}: must be refused");
            assert!(
                analysis.ir().is_none(),
                "{name}: nothing is generated from a refused spec"
            );
        }
        // the case names its rule: its diagnostics carry that code
        let expected_slug = name.trim_start_matches("warn-");
        let expected_slug = expected_slug.split('.').next().unwrap_or(expected_slug);
        assert!(
            list.iter().any(|d| d.code.slug() == expected_slug),
            "{name}: no `{expected_slug}` diagnostic among {:?}",
            list.iter().map(|d| d.code.slug()).collect::<Vec<_>>()
        );
        for d in &list {
            let file = analysis.sources.get(d.loc.file).expect("a known file");
            if d.loc.line > 0 {
                assert!(
                    file.line(d.loc.line).is_some(),
                    "{name}: line {} is in the file",
                    d.loc.line
                );
            }
        }
        insta::assert_snapshot!(render(&list, &analysis.sources, Format::Human));
    });
}

#[test]
fn every_rule_has_a_case() {
    let dir = crate::root().join("tests/specs/bad");
    let cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("cases")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for code in pims_codegen::diag::Code::ALL {
        let covered = cases.iter().any(|c| {
            let stem = c.trim_end_matches(".yaml").trim_start_matches("warn-");
            stem.split('.').next() == Some(code.slug())
        });
        // reading files is covered by the CLI tests; bytes that are not
        // UTF-8, empty files and limits by `hostile` (a case is UTF-8 text)
        let elsewhere = matches!(code.slug(), "io" | "not-utf8" | "empty-file" | "yaml-limit");
        assert!(
            covered || elsewhere,
            "no case for {} {}",
            code.as_str(),
            code.slug()
        );
    }
}

#[test]
fn json_and_github_formats_carry_the_location() {
    let text = std::fs::read_to_string(crate::root().join("tests/specs/bad/unknown-key.yaml"))
        .expect("case");
    let analysis = analyze_case(&text);
    let list = analysis.diagnostics.clone().sorted(&analysis.sources);
    let json = render(&list, &analysis.sources, Format::Json);
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        assert!(v["file"].as_str().unwrap().starts_with("spec/"));
        assert!(v["line"].as_u64().unwrap() > 0);
        assert!(v["column"].as_u64().unwrap() > 0);
        assert!(v["code"].as_str().unwrap().starts_with('E'));
    }
    let github = render(&list, &analysis.sources, Format::Github);
    for line in github.lines() {
        assert!(line.starts_with("::error file=spec/"), "{line}");
        assert!(line.contains(",line=") && line.contains(",col="), "{line}");
    }
    insta::assert_snapshot!(json);
}

/// Every case's fix removes its diagnostics and leaves a spec that checks
/// clean: what `pims-codegen explain` shows as fixed is.
#[test]
fn every_fix_fixes_its_case() {
    let mut seen = 0;
    let mut failures = Vec::new();
    for case in explain::cases() {
        assert!(
            !explain::fixes(case.text).is_empty(),
            "{}: no `# fix:` line",
            case.slug
        );
        let fixed = explain::fixed(case.text).unwrap_or_else(|e| panic!("{}: {e}", case.slug));
        let analysis = explain::analyze(&fixed);
        let left: Vec<String> = analysis
            .diagnostics
            .clone()
            .sorted(&analysis.sources)
            .iter()
            .map(|d| {
                format!(
                    "{} {}: {}",
                    d.code.as_str(),
                    analysis.sources.display(d.loc),
                    d.message
                )
            })
            .collect();
        if !left.is_empty() {
            failures.push(format!(
                "{}: the fixed case still has:\n{}",
                case.slug,
                left.join("\n")
            ));
        }
        seen += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        seen,
        std::fs::read_dir(crate::root().join("tests/specs/bad"))
            .unwrap()
            .count()
    );
}

/// A misspelt built-in type is one mistake: the keys that would have fitted
/// the intended type are not reported as well.
#[test]
fn a_misspelt_type_has_no_follow_on_diagnostics() {
    let case = "# file: vehicle/vin.yaml\napi: pims.vehicle.vin\ncomponent: VehicleInformation\noperations:\n  - name: selectVin\n    verb: set\n    since: \"2.3\"\n    parameters:\n      speed: { type: int, minimum: 0, maximum: 250, unit: km/h }\n    errors: [2001]\n";
    let analysis = analyze_case(case);
    let found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    assert_eq!(found, ["E104 `int` is not a type"], "{found:?}");
    let help = analysis
        .diagnostics
        .iter()
        .next()
        .and_then(|d| d.help.clone());
    assert_eq!(help.as_deref(), Some("did you mean `integer`?"));
}
