//! The command line, as a pipeline sees it: exit codes, output formats, and
//! what is (and is not) written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pims-codegen"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(root()).output().expect("runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of the project's spec with `file` replaced by `contents`.
fn spec_with(dir: &Path, file: &str, contents: &str) -> PathBuf {
    let spec = dir.join("spec");
    copy_dir(&root().join("spec"), &spec);
    std::fs::write(spec.join(file), contents).unwrap();
    spec
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const BAD_API: &str = "api: pims.authentication.otp\ncomponent: StrongAuthentication\noperations:\n  - name: otp\n    verb: get\n    since: \"2.0\"\n    errors: [2001, 2120]\n";

#[test]
fn check_passes_on_the_project_spec() {
    let o = run(&["check", "spec"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("0 errors"), "{}", text(&o.stderr));
}

#[test]
fn check_fails_with_located_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_with(dir.path(), "authentication/otp.yaml", BAD_API);
    let o = bin().arg("check").arg(&spec).output().unwrap();
    assert_eq!(code(&o), 1);
    let err = text(&o.stderr);
    assert!(
        err.contains("error[E201]: error code 2120 is not in the catalogue"),
        "{err}"
    );
    assert!(err.contains("authentication/otp.yaml:7:20"), "{err}");
    assert!(
        err.contains("did you mean `2102` (InvalidParameter: Invalid [PARAMETER] parameter)?"),
        "{err}"
    );
    assert!(err.contains("^^^^"), "a caret under the token: {err}");
}

#[test]
fn json_and_github_formats_for_pipelines() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_with(dir.path(), "authentication/otp.yaml", BAD_API);
    let o = bin()
        .args(["check", "--format", "json"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    let stdout = text(&o.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let v = lines
        .iter()
        .find(|v| v["code"] == "E201")
        .expect("the E201 diagnostic");
    assert_eq!(v["code"], "E201");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(7), Some(20))
    );
    assert!(
        v["file"]
            .as_str()
            .unwrap()
            .ends_with("spec/authentication/otp.yaml")
    );
    let o = bin()
        .args(["check", "--format", "github"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    let out = text(&o.stdout);
    assert!(
        out.lines().all(|l| l.starts_with("::error file=")
            || l.starts_with("::warning file=")
            || l.starts_with("::notice file=")),
        "{out}"
    );
    assert!(
        out.contains(",line=7,col=20,endColumn=24,title=E201 unknown-error-code::"),
        "{out}"
    );
}

#[test]
fn usage_and_io_problems_exit_2() {
    assert_eq!(code(&run(&["check"])), 2);
    assert_eq!(code(&run(&["frobnicate", "spec"])), 2);
    assert_eq!(code(&run(&["check", "spec", "--format", "xml"])), 2);
    assert_eq!(code(&run(&["generate", "spec"])), 2, "--out is required");
    let o = run(&["check", "no/such/folder"]);
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
    assert_eq!(code(&run(&["help"])), 0);
}

#[test]
fn a_spec_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_with(dir.path(), "authentication/otp.yaml", BAD_API);
    let out = dir.path().join("out");
    let o = bin()
        .arg("generate")
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(!out.exists(), "nothing written");
    assert!(text(&o.stderr).contains("nothing written"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let api = "api: pims.authentication.otp\ncomponent: StrongAuthentication\noperations:\n  - name: otp\n    verb: get\n    since: \"2.0\"\n";
    let spec = spec_with(dir.path(), "authentication/otp.yaml", api);
    let o = bin().arg("check").arg(&spec).output().unwrap();
    assert_eq!(code(&o), 0);
    assert!(text(&o.stderr).contains("warning[W401]"));
    let o = bin()
        .arg("check")
        .arg(&spec)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
}

#[test]
fn generate_writes_a_crate_then_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sdk");
    let o = run(&[
        "generate",
        "spec",
        "--out",
        out.to_str().unwrap(),
        "--runtime-path",
        "runtime",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/generated/mod.rs",
        "src/generated/authentication/smscode.rs",
        "schemas/pims.authentication.smscode/phoneNumberCertification.message.schema.json",
    ] {
        let contents =
            std::fs::read_to_string(out.join(file)).unwrap_or_else(|_| panic!("{file} written"));
        assert!(
            contents.lines().take(3).any(|l| l.contains("@generated")),
            "{file}"
        );
    }
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains("pims-runtime = { path = \"../"),
        "relative: {cargo}"
    );

    // a second run changes nothing
    let o = run(&[
        "generate",
        "spec",
        "--out",
        out.to_str().unwrap(),
        "--runtime-path",
        "runtime",
    ]);
    assert!(
        text(&o.stderr).contains(" 0 written"),
        "{}",
        text(&o.stderr)
    );

    // a generated file that no longer belongs is removed; a hand-written one stays
    std::fs::write(
        out.join("src/generated/old.rs"),
        "// @generated by `pims-codegen generate`; do not edit.\n",
    )
    .unwrap();
    std::fs::write(out.join("src/notes.rs"), "// mine\n").unwrap();
    let o = run(&[
        "generate",
        "spec",
        "--out",
        out.to_str().unwrap(),
        "--runtime-path",
        "runtime",
    ]);
    assert_eq!(code(&o), 0);
    assert!(!out.join("src/generated/old.rs").exists());
    assert!(out.join("src/notes.rs").exists());

    // a hand-written file where a generated one goes: refused, nothing written
    std::fs::write(out.join("src/lib.rs"), "// my own lib.rs\n").unwrap();
    std::fs::remove_file(out.join("src/generated/types.rs")).unwrap();
    let o = run(&[
        "generate",
        "spec",
        "--out",
        out.to_str().unwrap(),
        "--runtime-path",
        "runtime",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("has no `@generated` header"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// my own lib.rs\n"
    );
    assert!(
        !out.join("src/generated/types.rs").exists(),
        "nothing written"
    );
}

#[test]
fn schema_prints_the_meta_schema_of_each_kind_of_file() {
    for (kind, key, other) in [
        ("manifest", "sdk", "operations"),
        ("api", "operations", "sdk"),
    ] {
        let o = run(&["schema", "--kind", kind]);
        assert_eq!(code(&o), 0, "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(v["properties"][key].is_object(), "{kind}: {v}");
        assert!(v["properties"].get(other).is_none(), "{kind}: {v}");
        assert_eq!(v["additionalProperties"], false, "{kind}");
    }
    let o = run(&["schema", "--kind", "manfest"]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains(
            "unknown kind `manfest` (did you mean `manifest`?): expected `manifest` or `api`"
        ),
        "{}",
        text(&o.stderr)
    );
    let o = run(&["schema"]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("--kind manifest|api"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn schema_writes_both_meta_schemas_as_the_checked_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schema");
    let o = run(&["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["pims-api.schema.json", "pims-manifest.schema.json"]);
    for name in &names {
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(name)).unwrap()).unwrap();
        let mut checked_in: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("spec/schema").join(name)).unwrap(),
        )
        .unwrap();
        // the same schema; only the header names another command
        checked_in["$comment"] = written["$comment"].clone();
        assert_eq!(written, checked_in, "{name}");
    }
    // a hand-written file is never replaced
    std::fs::write(out.join("pims-api.schema.json"), "{}\n").unwrap();
    let o = run(&["schema", "--kind", "api", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("has no `@generated` header"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("pims-api.schema.json")).unwrap(),
        "{}\n"
    );
}
