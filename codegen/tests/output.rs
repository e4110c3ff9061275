//! The output folder, as `pims-codegen generate` leaves it: only this
//! generator's files are replaced or removed, nothing is written through a
//! symlink, and after any failure or kill the folder holds the complete old
//! output or the complete new one (docs/untrusted-input.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The staging folder an interrupted run may leave; the next run removes it.
const STAGING: &str = ".pims-codegen-staging";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pims-codegen"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn generate(spec: &Path, out: &Path) -> Output {
    bin()
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs")
}

/// Generates and expects success.
fn generated(spec: &Path, out: &Path) {
    let o = generate(spec, out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
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

/// Spec A: the good spec.
fn spec_a() -> PathBuf {
    root().join("tests/specs/good")
}

/// Spec B, in `dir`: spec A with another version (Cargo.toml, src/lib.rs and
/// every module change), without `pims.home.files` (stale files and a stale
/// folder) and with a new api `pims.garage.gate` (new folders).
fn spec_b(dir: &Path) -> PathBuf {
    let spec = dir.join("spec-b");
    copy_dir(&spec_a(), &spec);
    let edit = |file: &str, from: &str, to: &str| {
        let path = spec.join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        assert!(before.contains(from), "{file} holds {from}");
        std::fs::write(&path, before.replace(from, to)).unwrap();
    };
    edit("pims.yaml", "version: \"1.4\"", "version: \"1.5\"");
    edit(
        "home/account/user.yaml",
        "related: [pims.home.files, ",
        "related: [",
    );
    std::fs::remove_file(spec.join("home/files.yaml")).unwrap();
    let door = std::fs::read_to_string(spec.join("garage/door.yaml")).unwrap();
    std::fs::write(
        spec.join("garage/gate.yaml"),
        door.replace("api: pims.garage.door", "api: pims.garage.gate"),
    )
    .unwrap();
    spec
}

/// What a folder holds: every file with its bytes, every folder and symlink
/// (`None`), by path; the staging folder left by a kill is skipped.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(root.join(rel)).unwrap() {
            let entry = entry.unwrap();
            let child = rel.join(entry.file_name());
            if child == Path::new(STAGING) {
                continue;
            }
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                out.insert(child.clone(), None);
                walk(root, &child, out);
            } else if kind.is_file() {
                out.insert(
                    child.clone(),
                    Some(std::fs::read(root.join(&child)).unwrap()),
                );
            } else {
                out.insert(child, None);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, Path::new(""), &mut out);
    out
}

/// The paths by which two trees differ, for messages.
fn differences(
    a: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    b: &BTreeMap<PathBuf, Option<Vec<u8>>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in a {
        match b.get(path) {
            None => out.push(format!("only before: {}", path.display())),
            Some(other) if other != bytes => out.push(format!("differs: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        out.push(format!("only after: {}", path.display()));
    }
    out
}

/// Hand-written files an output folder may hold: they must survive everything.
fn add_hand_written(out: &Path) {
    std::fs::write(out.join("src/notes.rs"), "// mine\n").unwrap();
    std::fs::create_dir_all(out.join("src/extra")).unwrap();
    std::fs::write(out.join("src/extra/mod.rs"), "// mine too\n").unwrap();
    std::fs::write(out.join("schemas/README.md"), "# Schemas\n").unwrap();
    std::fs::write(out.join("README.md"), "# My SDK\n").unwrap();
}

/// The complete output of `spec`, hand-written files included, in `dir`.
fn reference(spec: &Path, dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    generated(spec, dir);
    add_hand_written(dir);
    tree(dir)
}

#[test]
fn a_file_that_only_mentions_generated_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generated(&spec_a(), &out);
    for (file, mine) in [
        (
            "src/generated/garage/door.rs",
            "// not @generated, edit freely\n",
        ),
        ("Cargo.toml", "# not @generated, edit freely\n[package]\n"),
        (
            "schemas/pims.garage.door/openDoor.message.schema.json",
            "{\n  \"$comment\": \"not @generated, edit freely\"\n}\n",
        ),
        (
            "src/lib.rs",
            "// @generated by `pims-codegen generate`; do not edit. Or do: it is mine now.\n",
        ),
    ] {
        std::fs::write(out.join(file), mine).unwrap();
        let before = tree(&out);
        let o = generate(&spec_a(), &out);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(file), "the error names {file}: {err}");
        assert_eq!(tree(&out), before, "{file}: nothing changes");
        std::fs::remove_file(out.join(file)).unwrap();
    }
    generated(&spec_a(), &out);
}

#[test]
fn files_of_other_generators_are_never_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generated(&spec_a(), &out);
    let others = [
        (
            "src/generated/prost.rs",
            "// This file is @generated by prost-build.\n",
        ),
        (
            "src/generated/home/files_ext.rs",
            "// @generated by `some-other-tool`; do not edit.\n",
        ),
        (
            "schemas/pims.home.files/extra.schema.json",
            "{\n  \"$comment\": \"@generated by another tool\"\n}\n",
        ),
        ("src/generated/NOTES.md", "<!-- @generated -->\n"),
    ];
    for (file, contents) in others {
        std::fs::write(out.join(file), contents).unwrap();
    }
    let b = spec_b(dir.path());
    let o = generate(&b, &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for (file, contents) in others {
        assert_eq!(
            std::fs::read_to_string(out.join(file)).ok().as_deref(),
            Some(contents),
            "{file} stays"
        );
    }
    // this generator's stale files are removed all the same
    assert!(!out.join("src/generated/home/files.rs").exists());
    assert!(
        !out.join("schemas/pims.home.files/listFiles.message.schema.json")
            .exists()
    );
}

#[cfg(unix)]
#[test]
fn symlinks_in_the_output_folder_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let b = spec_b(dir.path());
    let outside = dir.path().join("outside");
    for (link, what) in [
        ("src/generated/garage", "a folder of generated files"),
        ("schemas", "an owned folder"),
        ("src", "a folder holding a generated file and an owned one"),
    ] {
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&outside);
        generated(&spec_a(), &out);
        // the link points at a copy of what it replaces, so it looks right
        copy_dir(&out.join(link), &outside);
        std::fs::remove_dir_all(out.join(link)).unwrap();
        std::os::unix::fs::symlink(&outside, out.join(link)).unwrap();
        let before_out = tree(&out);
        let before_outside = tree(&outside);
        let o = generate(&b, &out);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(&format!("{link} is a symlink")),
            "{what}: the error names the link: {err}"
        );
        assert_eq!(tree(&outside), before_outside, "{what}: nothing outside");
        assert_eq!(tree(&out), before_out, "{what}: nothing inside");
    }

    // a link to a file, even one that holds this generator's output
    let _ = std::fs::remove_dir_all(&out);
    generated(&spec_a(), &out);
    let elsewhere = dir.path().join("Cargo.toml");
    std::fs::rename(out.join("Cargo.toml"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("Cargo.toml")).unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    let o = generate(&b, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("Cargo.toml is a symlink"), "{err}");
    assert_eq!(std::fs::read(&elsewhere).unwrap(), before);
    assert!(
        std::fs::symlink_metadata(out.join("Cargo.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// Makes a folder read-only until dropped: by its mode, or, for a user the
/// mode does not stop (root), by the immutable attribute.
#[cfg(unix)]
struct ReadOnly {
    path: PathBuf,
    immutable: bool,
}

#[cfg(unix)]
impl ReadOnly {
    /// `None` when this user can write whatever the mode says and the
    /// immutable attribute cannot be set either.
    fn new(path: &Path) -> Option<ReadOnly> {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = path.join(".probe");
        if std::fs::write(&probe, "").is_err() {
            return Some(ReadOnly {
                path: path.to_owned(),
                immutable: false,
            });
        }
        std::fs::remove_file(&probe).unwrap();
        let set = Command::new("chattr").arg("+i").arg(path).output();
        if set.is_ok_and(|o| o.status.success()) && std::fs::write(&probe, "").is_err() {
            return Some(ReadOnly {
                path: path.to_owned(),
                immutable: true,
            });
        }
        None
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt as _;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).output();
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_subfolder_leaves_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = reference(&spec_a(), &out);
    let b = spec_b(dir.path());
    // spec B removes this folder's files
    let folder = out.join("schemas/pims.home.files");
    let Some(guard) = ReadOnly::new(&folder) else {
        // neither the mode nor chattr +i stops this user (root without
        // CAP_LINUX_IMMUTABLE): fail the write another way instead
        eprintln!("no read-only folder for this user: a failing write instead");
        return a_write_that_fails(&out, &a, &b);
    };
    let o = generate(&b, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("schemas/pims.home.files"), "{err}");
    let after = tree(&out);
    drop(guard);
    assert!(after == a, "{:#?}", differences(&a, &after));
    // once writable, the same run succeeds
    generated(&b, &out);
}

/// Runs `generate` of `spec` into `out` with writes over 2 KiB failing
/// (RLIMIT_FSIZE, as a full disk would fail them), and checks that `out`
/// still holds `before`.
#[cfg(unix)]
fn a_write_that_fails(out: &Path, before: &BTreeMap<PathBuf, Option<Vec<u8>>>, spec: &Path) {
    let o = Command::new("sh")
        .arg("-c")
        // SIGXFSZ ignored, so the write fails (EFBIG) instead of the process
        .arg("trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_pims-codegen"))
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs");
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("too large"), "the OS reason: {err}");
    let after = tree(out);
    assert!(&after == before, "{:#?}", differences(before, &after));
    assert!(!out.join(STAGING).exists(), "what was staged is removed");
}

#[cfg(unix)]
#[test]
fn a_failing_write_leaves_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = reference(&spec_a(), &out);
    let b = spec_b(dir.path());
    a_write_that_fails(&out, &a, &b);
    generated(&b, &out);
}

#[test]
fn a_file_where_a_folder_must_go_leaves_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    reference(&spec_a(), &out);
    let b = spec_b(dir.path());
    // spec B needs this folder for the new api
    std::fs::write(out.join("schemas/pims.garage.gate"), "mine\n").unwrap();
    let before = tree(&out);
    let o = generate(&b, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("schemas/pims.garage.gate"), "{err}");
    let after = tree(&out);
    assert!(after == before, "{:#?}", differences(&before, &after));
}

#[test]
fn leftovers_of_an_interrupted_run_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = reference(&spec_a(), &out);
    // what earlier versions left when killed: temporary files beside their target
    std::fs::write(out.join("src/generated/.mod.rs.4242.tmp"), "").unwrap();
    std::fs::write(out.join(".Cargo.toml.4242.tmp"), "").unwrap();
    // what this version leaves when killed before it switches: a staging folder
    std::fs::create_dir_all(out.join(STAGING).join("new/src/generated/empty")).unwrap();
    std::fs::write(out.join(STAGING).join("new/src/lib.rs"), "half").unwrap();
    let o = generate(&spec_a(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!out.join(STAGING).exists(), "the staging folder is removed");
    let after = tree(&out);
    assert!(after == a, "{:#?}", differences(&a, &after));
}

/// A pseudo-random number generator, seeded from the clock (the seed is
/// printed, so a failing sequence can be replayed with `KILL_SEED`).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("KILL_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A duration in `0..max`.
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % nanos)
    }
}

/// Starts `generate`, and returns once its front end is done (the summary
/// line is printed just before the files are emitted and written).
fn start_generate(spec: &Path, out: &Path) -> std::process::Child {
    use std::io::BufRead as _;
    let mut child = bin()
        .arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    // the summary (`...; 0 errors, 0 warnings`) comes first
    let _ = lines.next();
    // keep draining, so the child never blocks on a full pipe
    std::thread::spawn(move || for _ in lines {});
    child
}

/// Waits until the staging folder of `child`'s write appears (polling every
/// 200 µs); `None` when the child exits first.
fn until_staging(child: &mut std::process::Child, out: &Path) -> Option<()> {
    loop {
        if out.join(STAGING).exists() {
            return Some(());
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn a_kill_at_any_moment_leaves_the_old_or_the_new_output() {
    let dir = tempfile::tempdir().unwrap();
    let spec_b = spec_b(dir.path());
    let specs = [spec_a(), spec_b];
    let expected = [
        reference(&specs[0], &dir.path().join("ref-a")),
        reference(&specs[1], &dir.path().join("ref-b")),
    ];
    // how long a run takes from the end of its front end to its exit, and
    // from the moment its staging folder appears to its exit
    let out = dir.path().join("out");
    reference(&specs[0], &out);
    let (mut rest, mut write) = (Duration::ZERO, Duration::ZERO);
    for i in [1, 0] {
        let start = Instant::now();
        let mut child = start_generate(&specs[i], &out);
        let front = start.elapsed();
        let staged = until_staging(&mut child, &out).map(|_| start.elapsed());
        assert!(child.wait().unwrap().success());
        rest = rest.max(start.elapsed() - front);
        if let Some(staged) = staged {
            write = write.max(start.elapsed() - staged);
        }
    }
    assert!(write > Duration::ZERO, "a staging folder was seen");
    let mut rng = Rng::new();
    let budget = Instant::now();
    let (mut kills, mut old, mut new, mut switching, mut staging) = (0, 0, 0, 0, 0);
    let mut current = 1; // the folder holds spec B's output
    while budget.elapsed() < Duration::from_secs(10) || kills < 8 {
        let next = 1 - current;
        let mut child = start_generate(&specs[next], &out);
        // one kill in three anywhere after the front end (emitting, staging,
        // switching, or after the exit), two in three once staging has begun
        if rng.next().is_multiple_of(3) || until_staging(&mut child, &out).is_none() {
            std::thread::sleep(rng.below(rest + rest / 4));
        } else {
            std::thread::sleep(rng.below(write + write / 4));
        }
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        staging += usize::from(out.join(STAGING).exists());
        let after = tree(&out);
        if after == expected[current] {
            old += 1;
        } else if after == expected[next] {
            new += 1;
        } else if out.join(STAGING).join("journal").exists() {
            // killed between the renames of the switch (see
            // docs/untrusted-input.md): every file is whole, old or new,
            // and the journal has the next run finish the switch
            for (path, bytes) in &after {
                assert!(
                    expected[current].get(path) == Some(bytes)
                        || expected[next].get(path) == Some(bytes),
                    "kill {kills}: {} is neither old nor new",
                    path.display()
                );
            }
            switching += 1;
        } else {
            panic!(
                "kill {kills} left a mix of the two outputs:\n{:#?}",
                differences(&expected[next], &after)
            );
        }
        // the next run completes the folder and leaves nothing behind
        generated(&specs[next], &out);
        let after = tree(&out);
        assert!(
            after == expected[next],
            "{:#?}",
            differences(&expected[next], &after)
        );
        assert!(!out.join(STAGING).exists(), "no staging folder after a run");
        current = next;
    }
    eprintln!(
        "{kills} kills: {old} left the old output, {new} the new one, {switching} a switch to finish; {staging} left a staging folder"
    );
}
