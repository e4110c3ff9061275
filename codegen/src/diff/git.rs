//! A spec folder as it was at a git revision, read through git (`git
//! ls-tree`, `git cat-file --batch`): nothing is checked out, the working
//! tree is not touched. The files go to `crate::analyze_files`.
//!
//! The revision is the user's: it is resolved with `rev-parse --verify
//! --end-of-options`, so it can never be read as an option, and every later
//! command names the commit by its id.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::load::MAX_FILE_BYTES;

/// The spec folder at a revision.
#[derive(Debug)]
pub struct AtRevision {
    /// How its files are shown: `REV:spec` (`REV:` alone for the repository's root).
    pub shown: PathBuf,
    /// Its `*.yaml` files, relative to the folder; `None` when the folder did
    /// not exist at that revision.
    pub files: Option<Vec<(PathBuf, Vec<u8>)>>,
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    // the user's configuration must not change what is read
    cmd.env("GIT_CONFIG_NOSYSTEM", "1").env_remove("GIT_DIR");
    cmd
}

/// Runs `cmd`; its standard output, or what went wrong.
fn output(mut cmd: Command, what: &str) -> Result<Vec<u8>, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git ({what}): {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err.trim();
        return Err(if err.is_empty() {
            format!("git failed ({what})")
        } else {
            format!("git failed ({what}): {err}")
        });
    }
    Ok(out.stdout)
}

/// The spec folder `dir` (in the working tree of a git repository) as it
/// was at `rev`.
pub fn spec_at(rev: &str, dir: &Path) -> Result<AtRevision, String> {
    if rev.is_empty() {
        return Err("the revision is empty".to_owned());
    }
    if !dir.is_dir() {
        return Err(format!(
            "{} is not a folder: `--base` compares a spec folder of the working tree with the same folder at a revision",
            crate::source::display_path(dir)
        ));
    }
    let mut cmd = git(dir);
    cmd.args(["rev-parse", "--show-toplevel", "--show-prefix"]);
    let out = output(cmd, "is this a git repository?")?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let mut lines = text.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines
        .next()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned();

    let mut cmd = git(&top);
    cmd.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"));
    let commit = match output(cmd, "rev-parse") {
        Ok(out) => String::from_utf8_lossy(&out).trim().to_owned(),
        Err(_) => return Err(format!("`{rev}` is not a revision of this repository")),
    };
    let shown = PathBuf::from(format!("{rev}:{prefix}"));

    let mut cmd = git(&top);
    cmd.args(["ls-tree", "-r", "-z", "--name-only", "--full-tree", &commit]);
    if !prefix.is_empty() {
        cmd.arg("--").arg(&prefix);
    }
    let listing = output(cmd, "ls-tree")?;
    let names: Vec<String> = listing
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    if names.is_empty() {
        return Ok(AtRevision { shown, files: None });
    }
    let wanted: Vec<(String, PathBuf)> = names
        .into_iter()
        .filter_map(|name| {
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                name.strip_prefix(&format!("{prefix}/"))?.to_owned()
            };
            let rel = PathBuf::from(rel);
            // as the loader: `*.yaml`, not in hidden folders, 16 levels at most
            let hidden = rel.parent().is_some_and(|p| {
                p.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            });
            let deep = rel.components().count() > 17;
            let yaml = rel.extension().is_some_and(|e| e == "yaml");
            (yaml && !hidden && !deep).then_some((name, rel))
        })
        .collect();
    let blobs = cat_files(&top, &commit, wanted.iter().map(|(n, _)| n.as_str()))?;
    let files = wanted.into_iter().map(|(_, rel)| rel).zip(blobs).collect();
    Ok(AtRevision {
        shown,
        files: Some(files),
    })
}

/// The contents of `paths` at `commit`, in order, through one `git cat-file --batch`.
fn cat_files<'a>(
    top: &Path,
    commit: &str,
    paths: impl Iterator<Item = &'a str>,
) -> Result<Vec<Vec<u8>>, String> {
    let mut request = String::new();
    let mut count = 0;
    for p in paths {
        if p.contains('\n') {
            return Err(format!("a file name at {commit} has a line break: {p:?}"));
        }
        request.push_str(&format!("{commit}:{p}\n"));
        count += 1;
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git (cat-file): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    // written from a thread: git answers while it reads, and a full pipe would block both
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or("git cat-file: no stdout")?
        .read_to_end(&mut out)
        .map_err(|e| format!("git cat-file: {e}"))?;
    let status = child.wait().map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    if !status.success() {
        return Err("git cat-file failed".to_owned());
    }
    let mut blobs = Vec::with_capacity(count);
    let mut rest = &out[..];
    for _ in 0..count {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("git cat-file: a header is cut short")?;
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let mut parts = header.split(' ');
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        if kind != Some("blob") {
            return Err(format!("git cat-file: unexpected answer `{header}`"));
        }
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer `{header}`"))?;
        if size as u64 > MAX_FILE_BYTES {
            return Err(format!(
                "a spec file at {commit} is {size} bytes; spec files are limited to {MAX_FILE_BYTES}"
            ));
        }
        if rest.len() < size + 1 {
            return Err("git cat-file: a file is cut short".to_owned());
        }
        blobs.push(rest[..size].to_vec());
        rest = &rest[size + 1..];
    }
    Ok(blobs)
}
