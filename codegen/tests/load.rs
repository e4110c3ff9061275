//! Reading a spec folder that holds odd things: every one is a located
//! diagnostic, and nothing blocks or reads without bound
//! (docs/untrusted-input.md).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use pims_codegen::diag::Code;

fn good() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/good")
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

/// A copy of the good spec in `dir`.
fn spec(dir: &Path) -> PathBuf {
    let spec = dir.join("spec");
    copy_dir(&good(), &spec);
    spec
}

/// A diagnostic, as `(code, file as shown, message, help)`.
type Found = (Code, String, String, Option<String>);

/// Analyses `dir` on another thread, and fails if that takes more than 20 s.
fn analyze(dir: &Path) -> Vec<Found> {
    let (send, receive) = std::sync::mpsc::channel();
    let dir = dir.to_owned();
    std::thread::spawn(move || {
        let analysis = pims_codegen::analyze(&dir);
        let found: Vec<Found> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                let file = analysis
                    .sources
                    .get(d.loc.file)
                    .map(|s| pims_codegen::source::display_path(&s.path))
                    .unwrap_or_default();
                (d.code, file, d.message.clone(), d.help.clone())
            })
            .collect();
        let _ = send.send(found);
    });
    receive
        .recv_timeout(Duration::from_secs(20))
        .expect("loading finishes: it must never block")
}

/// The one diagnostic about `file`, which must be an error of `code`.
fn one_about(found: &[Found], file: &str, code: Code) -> Found {
    let about: Vec<&Found> = found.iter().filter(|f| f.1.ends_with(file)).collect();
    assert_eq!(about.len(), 1, "one diagnostic about {file}: {found:#?}");
    assert_eq!(about[0].0, code, "{found:#?}");
    about[0].clone()
}

#[test]
fn a_fifo_named_yaml_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    let made = std::process::Command::new("mkfifo")
        .arg(spec.join("garage/pipe.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let found = analyze(&spec);
    let (_, _, message, _) = one_about(&found, "garage/pipe.yaml", Code::Io);
    assert!(message.contains("not a regular file"), "{message}");
    assert!(message.contains("FIFO"), "{message}");
}

#[test]
fn a_device_behind_a_symlink_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    std::os::unix::fs::symlink("/dev/zero", spec.join("zero.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/null", spec.join("home/null.yaml")).unwrap();
    let found = analyze(&spec);
    for file in ["zero.yaml", "home/null.yaml"] {
        let (_, _, message, _) = one_about(&found, file, Code::Io);
        assert!(message.contains("not a regular file"), "{file}: {message}");
        assert!(message.contains("device"), "{file}: {message}");
    }
}

#[test]
fn a_symlink_to_a_spec_file_inside_the_folder_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    std::fs::create_dir_all(dir.path().join("spec/shared")).unwrap();
    std::fs::rename(
        spec.join("garage/door.yaml"),
        spec.join("shared/door.yaml.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../shared/door.yaml.txt", spec.join("garage/door.yaml")).unwrap();
    let found = analyze(&spec);
    assert!(
        found.iter().all(|f| f.0 != Code::Io),
        "the linked file is read: {found:#?}"
    );
    let analysis = pims_codegen::analyze(&spec);
    assert!(analysis.ir().is_some(), "{found:#?}");
}

#[test]
fn a_symlink_out_of_the_spec_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    let secret = dir.path().join("secret.yaml");
    std::fs::write(&secret, "token: hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, spec.join("garage/secret.yaml")).unwrap();
    let found = analyze(&spec);
    let (_, _, message, _) = one_about(&found, "garage/secret.yaml", Code::Io);
    assert!(message.contains("outside the spec folder"), "{message}");
    assert!(
        found.iter().all(|f| !f.2.contains("hunter2")),
        "nothing of the file is shown: {found:#?}"
    );
}

#[test]
fn symlink_loops_and_folder_links_do_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    std::os::unix::fs::symlink("b.yaml", spec.join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", spec.join("b.yaml")).unwrap();
    // a folder linked to itself and to its parent: walked, it never ends
    std::os::unix::fs::symlink(".", spec.join("garage/again")).unwrap();
    std::os::unix::fs::symlink("..", spec.join("home/up")).unwrap();
    let found = analyze(&spec);
    one_about(&found, "a.yaml", Code::Io);
    one_about(&found, "b.yaml", Code::Io);
    let (_, _, message, help) = one_about(&found, "garage/again", Code::Io);
    assert!(message.contains("symlink to a folder"), "{message}");
    assert!(
        help.is_some_and(|h| h.contains("not followed")),
        "{found:#?}"
    );
    one_about(&found, "home/up", Code::Io);
}

#[test]
fn a_deep_tree_is_reported_not_silently_cut() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    let mut deep = spec.clone();
    for _ in 0..40 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("lost.yaml"), "api: pims.lost\n").unwrap();
    let found = analyze(&spec);
    let deep: Vec<&Found> = found.iter().filter(|f| f.0 == Code::Io).collect();
    assert_eq!(deep.len(), 1, "{found:#?}");
    assert!(deep[0].2.contains("deeper than"), "{found:#?}");
    assert!(
        deep[0].1.contains("/d/d/d/"),
        "located at the folder: {found:#?}"
    );
}

#[test]
fn an_unreadable_subfolder_is_blamed_on_itself() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path());
    let garage = spec.join("garage");
    std::fs::set_permissions(&garage, std::fs::Permissions::from_mode(0o000)).unwrap();
    let unreadable = std::fs::read_dir(&garage).is_err();
    let found = if unreadable {
        analyze(&spec)
    } else {
        // this user reads whatever the mode says (root): fail the listing of
        // the folder instead, through the loader's own seam
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let loaded = pims_codegen::load::load_dir_with(&spec, &mut |path: &Path| {
            if path == garage {
                Err(std::io::Error::new(denied.kind(), "Permission denied"))
            } else {
                std::fs::read_dir(path)
            }
        });
        loaded
            .diagnostics
            .iter()
            .map(|d| {
                let file = loaded
                    .sources
                    .get(d.loc.file)
                    .map(|s| pims_codegen::source::display_path(&s.path))
                    .unwrap_or_default();
                (d.code, file, d.message.clone(), d.help.clone())
            })
            .collect()
    };
    std::fs::set_permissions(&garage, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (_, file, message, help) = one_about(&found, "spec/garage", Code::Io);
    assert!(file.ends_with("spec/garage"), "{file}");
    assert!(message.contains("cannot read the folder"), "{message}");
    assert!(
        message.contains("ermission denied"),
        "the OS reason: {message}"
    );
    assert!(
        !help.is_some_and(|h| h.contains("pims.yaml")),
        "no hint to pass the folder that holds pims.yaml, which was passed: {found:#?}"
    );
    // the rest of the folder was read: the manifest is there
    assert!(
        found.iter().all(|f| f.0 != Code::MissingManifest),
        "{found:#?}"
    );
}

#[test]
fn a_missing_spec_folder_still_gets_the_hint() {
    let found = analyze(Path::new("/no/such/spec/folder"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, Code::Io);
    assert!(
        found[0]
            .3
            .as_deref()
            .is_some_and(|h| h.contains("pims.yaml")),
        "{found:#?}"
    );
}
