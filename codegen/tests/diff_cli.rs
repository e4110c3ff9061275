//! `pims-codegen diff` and `docs --changes-from`, as a pipeline sees them:
//! exit codes, formats, the semver gate, and `--base` read through git.

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

/// `tests/specs/diff/<case>/<side>`, relative to the workspace root.
fn case(name: &str, side: &str) -> String {
    format!("tests/specs/diff/{name}/{side}")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(root()).output().expect("runs")
}

/// `diff` of a fixture pair, with more arguments.
fn diff(name: &str, more: &[&str]) -> Output {
    let (old, new) = (case(name, "old"), case(name, "new"));
    let mut args = vec!["diff", old.as_str(), new.as_str()];
    args.extend(more);
    run(&args)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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

#[test]
fn the_same_spec_shows_nothing_and_passes() {
    let o = diff("identical", &["--fail-on", "minor"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "");
    assert!(
        text(&o.stderr).starts_with("0 changes:"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    // a breaking change, the version unchanged: reported, not failed
    let o = diff("operation-removed", &[]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with(
        "breaking   major  operation-removed  pims.fleet.trips#tripEvents (subscribe)"
    ));
    let o = diff("operation-removed", &["--fail-on", "breaking"]);
    assert_eq!(code(&o), 1);
    assert!(
        text(&o.stderr).contains("--fail-on: 1 change is breaking on the wire"),
        "{}",
        text(&o.stderr)
    );
    // breaking on the wire, a patch for Rust
    assert_eq!(code(&diff("selector-changed", &["--fail-on", "major"])), 0);
    assert_eq!(
        code(&diff("selector-changed", &["--fail-on", "breaking"])),
        1
    );
    // a major change for Rust, nothing on the wire
    assert_eq!(code(&diff("type-renamed", &["--fail-on", "breaking"])), 0);
    assert_eq!(code(&diff("type-renamed", &["--fail-on", "major"])), 1);
    // minor: fails on minor, not on major
    assert_eq!(code(&diff("enum-member-added", &["--fail-on", "major"])), 0);
    assert_eq!(code(&diff("enum-member-added", &["--fail-on", "minor"])), 1);
    // a patch passes every gate
    for level in ["breaking", "major", "minor"] {
        assert_eq!(
            code(&diff("label-changed", &["--fail-on", level])),
            0,
            "{level}"
        );
    }
}

/// A copy of the fixture `name` whose new side has `sdk.version` `version`.
fn with_version(dir: &Path, name: &str, version: &str) -> (PathBuf, PathBuf) {
    let (old, new) = (dir.join("old"), dir.join("new"));
    copy_dir(&root().join(case(name, "old")), &old);
    copy_dir(&root().join(case(name, "new")), &new);
    let manifest = new.join("pims.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("version: \"1.0\"", &format!("version: \"{version}\"")),
    )
    .unwrap();
    (old, new)
}

#[test]
fn semver_advice_fails_a_release_too_small() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = with_version(&dir.path().join("a"), "operation-removed", "1.1");
    let o = bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(code(&o), 1, "a removal in a minor release");
    let err = text(&o.stderr);
    assert!(err.contains("sdk.version 1.0 → 1.1 is a minor release; the changes call for a major release: too small"), "{err}");

    let (old, new) = with_version(&dir.path().join("b"), "operation-removed", "2.0");
    let o = bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains(": enough"), "{}", text(&o.stderr));

    // an added operation needs a minor release: a patch is too small
    let (old, new) = with_version(&dir.path().join("c"), "operation-added", "1.0.1");
    let o = bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(code(&o), 1, "{}", text(&o.stderr));

    // a version that goes down fails
    let (old, new) = with_version(&dir.path().join("d"), "identical", "0.9");
    let o = bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(code(&o), 1, "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("goes down"));
}

#[test]
fn json_lines_for_pipelines() {
    let o = diff("catalogue-error-removed", &["--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let lines: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let sdk_wide = &lines[0];
    assert_eq!(sdk_wide["id"], "catalogue-error-removed");
    assert_eq!(sdk_wide["api"], serde_json::Value::Null);
    assert_eq!(sdk_wide["path"], "errors.2204");
    assert_eq!(
        sdk_wide["old"],
        "tests/specs/diff/catalogue-error-removed/old/pims.yaml:38:11"
    );
    let op = &lines[1];
    for (key, value) in [
        ("id", "error-code-removed"),
        ("api", "pims.fleet.doors"),
        ("operation", "lock"),
        ("verb", "set"),
        ("path", "errors.2204"),
        ("wire", "compatible"),
        ("rust", "major"),
        (
            "new",
            "tests/specs/diff/catalogue-error-removed/new/fleet/doors.yaml:6:11",
        ),
    ] {
        assert_eq!(op[key], value, "{key} in {op}");
    }
    assert!(op["message"].as_str().unwrap().contains("2204"));
    assert!(op["wire_reason"].is_string() && op["rust_reason"].is_string());
    // nested paths as the issue writes them
    let o = diff("result-field-removed", &["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(text(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(v["path"], "result.trips[].id");
    let o = diff("parameter-removed", &["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(text(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(v["path"], "parameters.limit");
}

#[test]
fn github_annotations_and_markdown() {
    let o = diff("operation-removed", &["--format", "github"]);
    assert_eq!(code(&o), 0);
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("::error file=tests/specs/diff/operation-removed/new/fleet/trips.yaml,title=operation-removed (breaking on the wire%2C rust major)::"),
        "a removal points at the new file: {out}"
    );
    assert!(lines[1].starts_with("::notice title=semver::"), "{out}");
    let o = diff("parameter-removed", &["--format", "github"]);
    assert!(
        text(&o.stdout).contains(
            "file=tests/specs/diff/parameter-removed/new/fleet/trips.yaml,line=6,col=11,"
        )
    );
    let o = diff("type-renamed", &["--format", "github"]);
    assert!(
        text(&o.stdout).starts_with("::warning "),
        "major for Rust: a warning"
    );

    let o = diff("parameter-removed", &["--format", "markdown"]);
    assert_eq!(code(&o), 0);
    let md = text(&o.stdout);
    assert!(
        md.starts_with("## Fleet SDK 1.0, compared with 1.0\n"),
        "{md}"
    );
    assert!(md.contains("\n### Trips\n"), "grouped by component: {md}");
    assert!(
        md.contains("- **Breaking** (Rust major, `parameter-removed`) `get pims.fleet.trips#trips`: parameter `limit` was removed"),
        "{md}"
    );
}

#[test]
fn usage_and_io_problems_exit_2_spec_errors_1() {
    assert_eq!(code(&run(&["diff"])), 2);
    assert_eq!(
        code(&run(&["diff", &case("identical", "old")])),
        2,
        "one folder"
    );
    assert_eq!(code(&diff("identical", &["--format", "xml"])), 2);
    assert_eq!(code(&diff("identical", &["--fail-on", "everything"])), 2);
    assert_eq!(
        code(&run(&["diff", "no/such/old", &case("identical", "new")])),
        2
    );
    let o = run(&["diff", "--help"]);
    assert_eq!(code(&o), 0);
    assert!(text(&o.stdout).contains("--fail-on LEVEL"));
    assert!(text(&run(&["help"]).stdout).contains("pims-codegen diff"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad");
    copy_dir(&root().join(case("identical", "new")), &bad);
    std::fs::write(
        bad.join("fleet/doors.yaml"),
        "api: pims.fleet.doors\ncomponent: Nowhere\noperations: []\n",
    )
    .unwrap();
    let o = bin()
        .arg("diff")
        .arg(root().join(case("identical", "old")))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("fleet/doors.yaml:2:12"), "located: {err}");
    assert!(err.contains("has errors: nothing compared"), "{err}");
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(repo: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
}

/// A repository: a first commit without a spec, a second with the old side
/// of `name` as `spec/`, and the new side in the working tree.
fn repository(dir: &Path, name: &str) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README.md"), "no spec yet\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    copy_dir(&root().join(case(name, "old")), &repo.join("spec"));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "spec"]);
    std::fs::remove_dir_all(repo.join("spec")).unwrap();
    copy_dir(&root().join(case(name, "new")), &repo.join("spec"));
    repo
}

#[test]
fn base_compares_a_revision_with_the_working_tree() {
    if !git_available() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path(), "parameter-removed");
    let in_repo = |args: &[&str]| bin().args(args).current_dir(&repo).output().unwrap();

    let o = in_repo(&["diff", "--base", "HEAD", "spec", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let lines: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["id"], "parameter-removed");
    assert_eq!(
        lines[0]["old"], "HEAD:spec/fleet/trips.yaml:19:7",
        "located at the revision"
    );
    assert_eq!(lines[0]["new"], "spec/fleet/trips.yaml:6:11");
    assert_eq!(
        code(&in_repo(&[
            "diff",
            "--base",
            "HEAD",
            "spec",
            "--fail-on",
            "breaking"
        ])),
        1
    );
    // from a sub-folder too: the folder is found in the repository
    let o = bin()
        .args(["diff", "--base", "HEAD", "."])
        .current_dir(repo.join("spec"))
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("parameter-removed"));

    // nothing was checked out or changed
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(text(&status.stdout), " M spec/fleet/trips.yaml\n");

    // a revision where the folder did not exist: every operation is new
    let o = in_repo(&["diff", "--base", "HEAD~1", "spec", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("HEAD~1:spec did not exist: every operation is new"),
        "{}",
        text(&o.stderr)
    );
    let ids: Vec<String> = text(&o.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        ids.iter().filter(|i| *i == "operation-added").count(),
        3,
        "{ids:?}"
    );
    assert!(
        ids.iter().all(
            |i| ["operation-added", "catalogue-error-added", "type-added"].contains(&i.as_str())
        )
    );

    // a revision that does not exist, or that looks like an option
    for rev in ["no-such-revision", "--output=/tmp/x", "-h"] {
        let o = in_repo(&["diff", &format!("--base={rev}"), "spec"]);
        assert_eq!(code(&o), 2, "{rev}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("is not a revision of this repository"),
            "{}",
            text(&o.stderr)
        );
    }
    // outside a repository
    let lone = dir.path().join("lone");
    copy_dir(&root().join(case("identical", "new")), &lone);
    let o = bin()
        .args(["diff", "--base", "HEAD"])
        .arg(&lone)
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
}

#[test]
fn docs_changes_from_a_folder_or_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("book");
    let o = run(&[
        "docs",
        &case("operation-removed", "new"),
        "--out",
        out.to_str().unwrap(),
        "--changes-from",
        &case("operation-removed", "old"),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let page = std::fs::read_to_string(out.join("src/changes.md")).unwrap();
    assert!(page.contains("# Changes by release"));
    assert!(
        page.contains("## Fleet SDK 1.0, compared with 1.0\n"),
        "{page}"
    );
    assert!(page.contains("`operation-removed`"), "{page}");
    // without the option, the page has no comparison
    let plain = dir.path().join("plain");
    let o = run(&[
        "docs",
        &case("operation-removed", "new"),
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        !std::fs::read_to_string(plain.join("src/changes.md"))
            .unwrap()
            .contains("compared with")
    );
    // an old spec with errors: nothing written
    let none = dir.path().join("none");
    let o = run(&[
        "docs",
        &case("identical", "new"),
        "--out",
        none.to_str().unwrap(),
        "--changes-from",
        "no-such-folder-or-rev",
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
    assert!(!none.exists());

    if !git_available() {
        eprintln!("skipped the revision case: git is not installed");
        return;
    }
    let repo = repository(dir.path(), "operation-added");
    let o = bin()
        .args(["docs", "spec", "--out", "book", "--changes-from", "HEAD"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let page = std::fs::read_to_string(repo.join("book/src/changes.md")).unwrap();
    assert!(
        page.contains(
            "[pims.fleet.trips-summary](apis/pims.fleet.trips/summary.md): new operation"
        ),
        "the new operation, linked: {page}"
    );
}
