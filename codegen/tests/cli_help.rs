//! The command line helps: a version, usage errors in one line with the fix,
//! did-you-mean for commands, options and formats, a file accepted by
//! `check`, colours only where they belong, SARIF, `explain` and `new`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pims-codegen"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("runs")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn version() {
    for flag in ["--version", "-V"] {
        let o = run(&[flag]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(
            out(&o),
            format!("pims-codegen {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn usage_errors_are_one_line_with_the_fix() {
    for (args, says) in [
        (
            &["chek", "spec"][..],
            "unknown command `chek`: did you mean `check`?",
        ),
        (
            &["check", "spec", "--fromat", "json"][..],
            "unknown option --fromat: did you mean --format?",
        ),
        (
            &["check", "spec", "--format", "jsno"][..],
            "unknown format `jsno` (did you mean `json`?)",
        ),
        (
            &["generate", "spec"][..],
            "`generate` needs --out DIR: pims-codegen generate SPEC_DIR --out DIR",
        ),
        (
            &["check"][..],
            "`check` needs the spec folder (or a file of it)",
        ),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = err(&o);
        assert_eq!(
            e.lines().count(),
            1,
            "{args:?}: one line, not the usage:\n{e}"
        );
        assert!(e.contains(says), "{args:?}: {e}");
    }
    let o = run(&["help", "generate"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).starts_with("usage: pims-codegen generate SPEC_DIR --out DIR"));
}

#[test]
fn check_takes_a_file_of_a_spec_folder() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy(&root().join("tests/specs/good"), &spec);
    let door = spec.join("garage/door.yaml");
    let text = std::fs::read_to_string(&door).unwrap();
    std::fs::write(&door, text.replacen("    verb: get", "    verbb: get", 1)).unwrap();
    let files = spec.join("home/files.yaml");
    let text = std::fs::read_to_string(&files).unwrap();
    std::fs::write(&files, text.replacen("    verb: get", "    vreb: get", 1)).unwrap();

    let o = run(&["check", door.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|d| d["file"].as_str().unwrap().ends_with("garage/door.yaml")),
        "only the file's diagnostics: {lines:?}"
    );
    let o = run(&["check", files.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("vreb"));
    assert!(!err(&o).contains("verbb"));
    assert!(err(&o).contains("in other files of"), "{}", err(&o));
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let bad = "tests/specs/good/garage/door.yaml";
    let piped = run(&["check", bad, "--deny-warnings"]);
    assert!(!err(&piped).contains('\u{1b}'), "not a terminal: no colour");
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy(&root().join("tests/specs/good"), &spec);
    let door = spec.join("garage/door.yaml");
    let text = std::fs::read_to_string(&door).unwrap();
    std::fs::write(&door, text.replacen("    verb: get", "    verbb: get", 1)).unwrap();
    let coloured = run(&["check", spec.to_str().unwrap(), "--color", "always"]);
    assert!(
        err(&coloured).contains("\u{1b}[1;31merror[E101]"),
        "{}",
        err(&coloured)
    );
    let no_color = Command::new(env!("CARGO_BIN_EXE_pims-codegen"))
        .args(["check", spec.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!err(&no_color).contains('\u{1b}'));
}

#[test]
fn sarif_for_code_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy(&root().join("tests/specs/good"), &spec);
    let manifest = spec.join("pims.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // the same code twice: an error with a note
    std::fs::write(&manifest, text.replacen("code: 2001", "code: 2000", 1)).unwrap();
    let o = run(&["check", spec.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_str(&out(&o)).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "pims-codegen");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let result = &run["results"][0];
    let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], result["ruleId"]);
    assert_eq!(result["ruleId"], "E309");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().unwrap() > 0);
    assert!(region["endColumn"].as_u64() > region["startColumn"].as_u64());
    assert!(
        result["relatedLocations"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("first defined here")
    );
    // github annotations keep the note, as an annotation of its own
    let o = crate::run(&["check", spec.to_str().unwrap(), "--format", "github"]);
    let text = out(&o);
    assert!(text.contains("note: first defined here"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("::notice ")), "{text}");
    // JSON says where the token ends
    let o = crate::run(&["check", spec.to_str().unwrap(), "--format", "json"]);
    let first: serde_json::Value = serde_json::from_str(out(&o).lines().next().unwrap()).unwrap();
    assert!(
        first["endColumn"].as_u64() > first["column"].as_u64(),
        "{first}"
    );
    assert_eq!(first["explain"], "pims-codegen explain E309");
}

#[test]
fn explain_pages_come_from_the_tested_cases() {
    let o = run(&["explain", "E101"]);
    assert_eq!(o.status.code(), Some(0));
    let page = out(&o);
    assert!(page.starts_with("E101 (unknown-key)"), "{page}");
    assert!(
        page.contains("Example (tests/specs/bad/unknown-key.yaml)"),
        "{page}"
    );
    assert!(
        page.contains("  - descriptoin:\n  + description:"),
        "{page}"
    );
    let by_slug = run(&["explain", "unknown-key"]);
    assert_eq!(out(&by_slug), page);
    let index = run(&["explain"]);
    assert!(
        out(&index).contains("W406 platform-required"),
        "{}",
        out(&index)
    );
    let unknown = run(&["explain", "E10l"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(err(&unknown).contains("did you mean"), "{}", err(&unknown));
    // every diagnostic points to its page
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy(&root().join("tests/specs/good"), &spec);
    let door = spec.join("garage/door.yaml");
    let text = std::fs::read_to_string(&door).unwrap();
    std::fs::write(&door, text.replacen("    verb: get", "    verbb: get", 1)).unwrap();
    let o = run(&["check", spec.to_str().unwrap()]);
    assert!(
        err(&o).contains("= E101 (unknown-key): pims-codegen explain E101"),
        "{}",
        err(&o)
    );
}

#[test]
fn new_writes_a_scaffold_that_checks_and_adds_operations() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy(&root().join("tests/specs/good"), &spec);
    let s = spec.to_str().unwrap();
    let o = run(&["new", "pims.garage.light", "--spec", s]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(spec.join("garage/light.yaml")).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../schema/"),
        "{text}"
    );
    assert!(
        text.contains("api: pims.garage.light\ncomponent: Garage\n"),
        "the siblings' component: {text}"
    );
    assert!(text.contains("since: \"1.4\""), "the SDK release: {text}");
    let o = run(&[
        "new",
        "pims.garage.light#switchLight",
        "--verb",
        "set",
        "--spec",
        s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(spec.join("garage/light.yaml")).unwrap();
    assert!(
        text.contains("  - name: switchLight\n    verb: set\n"),
        "{text}"
    );
    let o = run(&["check", s, "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // refused, with the fix, and nothing written
    let o = run(&["new", "pims.garage.light#switchLight", "--spec", s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("already has an operation `switchLight`"),
        "{}",
        err(&o)
    );
    let o = run(&["new", "pims.garage.Lamp", "--spec", s]);
    assert!(
        err(&o).contains("did you mean `pims.garage.lamp`?"),
        "{}",
        err(&o)
    );
    let o = run(&[
        "new",
        "pims.cellar.wine",
        "--spec",
        s,
        "--component",
        "Garag",
    ]);
    assert!(err(&o).contains("did you mean `Garage`?"), "{}", err(&o));
    assert!(!spec.join("cellar").exists());
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
