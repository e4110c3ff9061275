//! Writing generated files into an output folder, and checking them for drift.
//!
//! What holds (docs/untrusted-input.md says it for users):
//!
//! - **Only ours.** A file is replaced or removed only when it starts with
//!   this generator's exact header for its kind ([`emit::is_ours`]). Anything
//!   else in the way stops the write before anything changes.
//! - **Nothing outside.** No symlink below the output folder is followed for
//!   writing or removal: one on the way of a generated path stops the write.
//!   Everything written is first staged inside the output folder.
//! - **All or nothing.** The new output is staged complete in a hidden folder
//!   ([`STAGING`]) of the output folder, made durable, recorded in a journal,
//!   then switched in with one rename per *unit*: each owned folder that
//!   changes (staged whole, hand-written files hard-linked into it), and each
//!   generated file outside them that changes. On Linux and macOS a unit is
//!   swapped with its old self in one atomic exchange (`renameat2`
//!   `RENAME_EXCHANGE`); a failure part-way swaps the switched units back.
//!   A kill between the first and the last rename of the switch (a few system
//!   calls) leaves whole units of both outputs and the journal: the next
//!   write finishes the switch before anything else. Leftovers of a kill
//!   (the staging folder; temporary files of earlier versions) are removed by
//!   the next write.
//! - **Only when changed.** A unit whose bytes are all the same is not
//!   touched; a run that changes nothing writes nothing.
//!
//! Durability: one `syncfs` of the output folder's file system after staging
//! (on Linux), rather than an fsync per file: staging a 2,000-file folder
//! would otherwise cost 2,000 fsyncs (and as many journal commits), where
//! syncfs is one call however many files were staged. Then the journal
//! (fsynced, renamed into place, its folder fsynced), the switch, and an
//! fsync of each switched unit's parent folder. Elsewhere every staged file
//! and folder is fsynced.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

use crate::emit::{self, Files};
use crate::source::display_path;

/// The hidden folder, inside the output folder, where a write stages the new
/// output; only ever there while a write runs or after it was killed.
pub const STAGING: &str = ".pims-codegen-staging";

/// The journal, in the staging folder: present once the staged output is
/// complete and durable, until the switch is done.
const JOURNAL: &str = "journal";

/// What went wrong while writing. Except for [`WriteError::Io`] during the
/// switch, nothing has changed when one is returned.
#[derive(Debug)]
pub enum WriteError {
    /// A file that is not this generator's is where a generated one goes.
    HandWritten(PathBuf),
    /// A symlink is on the way of a generated path.
    Symlink(PathBuf),
    /// Something else is in the way: a file where a folder must go, a folder
    /// where a file must go, a FIFO, a device.
    InTheWay(PathBuf, &'static str),
    /// A folder the switch must change or remove cannot be written.
    ReadOnly(PathBuf),
    /// A folder is on another file system than the output folder.
    OtherFileSystem(PathBuf),
    /// Another run is writing the same output folder.
    Busy(PathBuf),
    /// A path given to the writer is not plain and relative (a bug of the caller).
    BadPath(PathBuf),
    /// The journal of an interrupted write does not match the folder.
    Journal(PathBuf, String),
    /// The file system refused.
    Io(PathBuf, io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::HandWritten(p) => write!(
                f,
                "{} has no `{}` header of pims-codegen: it is not replaced, and nothing is written (move it away, or delete it if it is an old generated file)",
                display_path(p),
                emit::MARKER
            ),
            WriteError::Symlink(p) => write!(
                f,
                "{} is a symlink: the generator never writes or removes through one (it could lead outside the output folder), and nothing is written; replace it with a real folder or file",
                display_path(p)
            ),
            WriteError::InTheWay(p, why) => write!(
                f,
                "{} is {why}: nothing is written (move it away)",
                display_path(p)
            ),
            WriteError::ReadOnly(p) => write!(
                f,
                "{} cannot be written (permission denied, read-only or immutable), and the generator must change or remove it: nothing is written",
                display_path(p)
            ),
            WriteError::OtherFileSystem(p) => write!(
                f,
                "{} is on another file system than the output folder (a mount point?): the output is switched by renames, which cannot cross file systems; nothing is written",
                display_path(p)
            ),
            WriteError::Busy(p) => write!(
                f,
                "another pims-codegen is writing {}: nothing is written (run again when it is done)",
                display_path(p)
            ),
            WriteError::BadPath(p) => write!(
                f,
                "internal error: {} is not a plain relative path: nothing is written",
                display_path(p)
            ),
            WriteError::Journal(p, why) => write!(
                f,
                "{}: {why}; nothing more is done (look at the folder, then remove {STAGING})",
                display_path(p)
            ),
            WriteError::Io(p, e) => write!(f, "{}: {e}", display_path(p)),
        }
    }
}

impl std::error::Error for WriteError {}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files created or changed.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Stale generated files removed.
    pub removed: Vec<PathBuf>,
}

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// It does not exist.
    Missing(PathBuf),
    /// Its bytes differ.
    Changed(PathBuf),
    /// It was generated, but no longer would be.
    Stale(PathBuf),
    /// A write was interrupted during its switch (the journal is there).
    Interrupted(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {}", display_path(p)),
            Drift::Changed(p) => write!(f, "out of date: {}", display_path(p)),
            Drift::Stale(p) => write!(f, "no longer generated: {}", display_path(p)),
            Drift::Interrupted(p) => write!(
                f,
                "interrupted write: {} (the next write finishes it)",
                display_path(p)
            ),
        }
    }
}

/// Compares `files` (relative to `root`, made by `command`) with the disk;
/// `owned` are the folders where any file of ours not in `files` is stale.
/// Reads only; refuses what [`write()`] would refuse.
pub fn drift(
    root: &Path,
    files: &Files,
    owned: &[&Path],
    command: &str,
) -> Result<Vec<Drift>, WriteError> {
    let mut out = Vec::new();
    if root.join(STAGING).join(JOURNAL).exists() {
        out.push(Drift::Interrupted(PathBuf::from(STAGING)));
    }
    if !root.exists() {
        out.extend(files.keys().cloned().map(Drift::Missing));
        return Ok(out);
    }
    let plan = Plan::make(root, files, owned, command)?;
    let mut changed: Vec<Drift> = plan
        .written
        .iter()
        .map(|(p, existed)| {
            if *existed {
                Drift::Changed(p.clone())
            } else {
                Drift::Missing(p.clone())
            }
        })
        .collect();
    changed.sort_by(|a, b| drift_path(a).cmp(drift_path(b)));
    out.extend(changed);
    let mut stale = plan.removed;
    stale.sort();
    out.extend(stale.into_iter().map(Drift::Stale));
    Ok(out)
}

fn drift_path(d: &Drift) -> &Path {
    match d {
        Drift::Missing(p) | Drift::Changed(p) | Drift::Stale(p) | Drift::Interrupted(p) => p,
    }
}

/// Writes `files` (made by `command`) below `root`, and removes stale files
/// of ours in the `owned` folders, all or nothing (see the module docs).
pub fn write(
    root: &Path,
    files: &Files,
    owned: &[&Path],
    command: &str,
) -> Result<Report, WriteError> {
    write_with(root, files, owned, command, &mut |_| None)
}

/// A point of the write where a test may inject a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Before staging the n-th unit.
    Stage(usize),
    /// Before making the staged output durable.
    Sync,
    /// Before writing the journal.
    Journal,
    /// Before switching the n-th unit.
    Switch(usize),
    /// Before removing the journal and the staging folder.
    Cleanup,
}

/// What a test injects at a [`Step`].
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))] // reason: only tests inject faults
pub(crate) enum Fault {
    /// The step fails with this error.
    Fail(io::Error),
    /// The process dies here (as with kill -9): nothing more is done.
    Crash,
}

/// The error of a write stopped by [`Fault::Crash`].
const CRASHED: &str = "crashed (injected)";

/// [`write()`], with `fault` asked at every [`Step`].
pub(crate) fn write_with(
    root: &Path,
    files: &Files,
    owned: &[&Path],
    command: &str,
    fault: &mut dyn FnMut(Step) -> Option<Fault>,
) -> Result<Report, WriteError> {
    std::fs::create_dir_all(root).map_err(|e| WriteError::Io(root.to_owned(), e))?;
    let _lock = sys::lock(root)?;
    recover(root)?;
    let plan = Plan::make(root, files, owned, command)?;
    let mut report = Report {
        written: plan.written.iter().map(|(p, _)| p.clone()).collect(),
        unchanged: plan.unchanged.clone(),
        removed: plan.removed.clone(),
    };
    report.written.sort();
    report.unchanged.sort();
    report.removed.sort();
    plan.check_writable(root)?;
    for rel in &plan.leftovers {
        let path = root.join(rel);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(WriteError::Io(path, e)),
            _ => {}
        }
    }
    if plan.units.is_empty() {
        return Ok(report);
    }
    let mut at = |step: Step| -> Result<(), WriteError> {
        match fault(step) {
            None => Ok(()),
            Some(Fault::Fail(e)) => Err(WriteError::Io(root.join(STAGING), e)),
            Some(Fault::Crash) => Err(WriteError::Journal(root.join(STAGING), CRASHED.into())),
        }
    };
    let stage = root.join(STAGING);
    let crashed = |e: &WriteError| matches!(e, WriteError::Journal(_, why) if why == CRASHED);
    // stage; on failure nothing in place has changed: remove what was staged
    let staged = (|| -> Result<Vec<JournalUnit>, WriteError> {
        mkdir(&stage)?;
        mkdir(&stage.join("new"))?;
        let mut synced = Vec::new();
        let mut units = Vec::new();
        for (i, unit) in plan.units.iter().enumerate() {
            at(Step::Stage(i))?;
            let to = stage.join("new").join(&unit.path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| WriteError::Io(parent.to_owned(), e))?;
            }
            materialize(root, &unit.path, &unit.tree, &to, &mut synced)?;
            let meta = std::fs::symlink_metadata(&to).map_err(|e| WriteError::Io(to.clone(), e))?;
            units.push(JournalUnit {
                path: unit.path.clone(),
                identity: sys::identity(&meta),
            });
        }
        at(Step::Sync)?;
        sys::sync_staged(&stage, &synced).map_err(|e| WriteError::Io(stage.clone(), e))?;
        at(Step::Journal)?;
        write_journal(&stage, &units)?;
        Ok(units)
    })();
    if let Err(e) = staged {
        if !crashed(&e) {
            let _ = remove_tree(&stage);
        }
        return Err(e);
    }
    // switch; on failure swap back what was switched
    let mut done: Vec<(usize, Switched)> = Vec::new();
    for (i, unit) in plan.units.iter().enumerate() {
        let result = at(Step::Switch(i)).and_then(|()| {
            switch(root, &stage, &unit.path, unit.exists)
                .map_err(|e| WriteError::Io(root.join(&unit.path), e))
        });
        match result {
            Ok(how) => done.push((i, how)),
            Err(e) if crashed(&e) => return Err(e),
            Err(e) => {
                for (j, how) in done.iter().rev() {
                    if unswitch(root, &stage, &plan.units[*j].path, *how).is_err() {
                        // the journal stays: the next write finishes the switch
                        return Err(e);
                    }
                }
                let _ = std::fs::remove_file(stage.join(JOURNAL));
                let _ = remove_tree(&stage);
                return Err(e);
            }
        }
    }
    for unit in &plan.units {
        let parent = root.join(&unit.path);
        let parent = parent.parent().unwrap_or(root);
        sys::sync_dir(parent).map_err(|e| WriteError::Io(parent.to_owned(), e))?;
    }
    if let Err(e) = at(Step::Cleanup) {
        // a crash leaves the staging folder; a failure, too (the output is
        // complete either way): the next write removes it
        return if crashed(&e) { Err(e) } else { Ok(report) };
    }
    // the new output is complete and durable: what is left is a leftover,
    // which the next write removes if this cannot
    if std::fs::remove_file(stage.join(JOURNAL)).is_ok() {
        let _ = remove_tree(&stage);
    }
    Ok(report)
}

/// Creates one folder, failing if anything is there already.
fn mkdir(path: &Path) -> Result<(), WriteError> {
    std::fs::create_dir(path).map_err(|e| WriteError::Io(path.to_owned(), e))
}

/// Removes a folder of ours (the staging folder) and all it holds, never
/// following a symlink in it.
fn remove_tree(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Finishes or clears what an interrupted write left: with a journal, the
/// switch is completed; then the staging folder is removed.
fn recover(root: &Path) -> Result<(), WriteError> {
    let stage = root.join(STAGING);
    match std::fs::symlink_metadata(&stage) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(WriteError::Io(stage, e)),
        Ok(m) if !m.is_dir() => {
            return Err(WriteError::InTheWay(
                stage,
                "not a folder, under the name of the generator's staging folder",
            ));
        }
        Ok(_) => {}
    }
    let journal = stage.join(JOURNAL);
    if let Some(units) = read_journal(&journal)? {
        for unit in &units {
            roll_forward(root, &stage, unit)
                .map_err(|why| WriteError::Journal(journal.clone(), why))?;
        }
        for unit in &units {
            let parent = root.join(&unit.path);
            let parent = parent.parent().unwrap_or(root);
            sys::sync_dir(parent).map_err(|e| WriteError::Io(parent.to_owned(), e))?;
        }
        std::fs::remove_file(&journal).map_err(|e| WriteError::Io(journal.clone(), e))?;
    }
    remove_tree(&stage).map_err(|e| WriteError::Io(stage, e))
}

/// Completes the switch of one unit of a journal, if it is not done.
fn roll_forward(root: &Path, stage: &Path, unit: &JournalUnit) -> Result<(), String> {
    let target = root.join(&unit.path);
    let staged = stage.join("new").join(&unit.path);
    let id = |p: &Path| {
        std::fs::symlink_metadata(p)
            .ok()
            .and_then(|m| sys::identity(&m))
    };
    match unit.identity {
        Some(want) => {
            if id(&target) == Some(want) {
                return Ok(()); // switched before the kill
            }
            if id(&staged) != Some(want) {
                return Err(format!(
                    "it names {}, which is neither switched nor staged",
                    unit.path.display()
                ));
            }
        }
        // no identities on this platform: staged means not switched
        None if id(&staged).is_none() => return Ok(()),
        None => {}
    }
    let exists = std::fs::symlink_metadata(&target).is_ok();
    switch(root, stage, &unit.path, exists)
        .map(|_| ())
        .map_err(|e| format!("cannot finish the switch of {}: {e}", unit.path.display()))
}

/// How a unit was switched, to undo it.
#[derive(Debug, Clone, Copy)]
enum Switched {
    /// Swapped with the old one, which is now in the staging folder.
    Exchanged,
    /// The old one was moved aside into `STAGING/old`, the new one put in place.
    Aside,
    /// Nothing was there; the new one was put in place.
    Created,
}

/// Puts the staged `rel` in place.
fn switch(root: &Path, stage: &Path, rel: &Path, exists: bool) -> io::Result<Switched> {
    let staged = stage.join("new").join(rel);
    let target = root.join(rel);
    if exists {
        match sys::exchange(&staged, &target) {
            Ok(()) => return Ok(Switched::Exchanged),
            Err(e) if e.kind() != io::ErrorKind::Unsupported => return Err(e),
            Err(_) => {}
        }
        // no atomic exchange here: move the old one aside first
        let aside = stage.join("old").join(rel);
        if let Some(parent) = aside.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&target, &aside)?;
        if let Err(e) = sys::rename_noreplace(&staged, &target) {
            let _ = std::fs::rename(&aside, &target);
            return Err(e);
        }
        return Ok(Switched::Aside);
    }
    sys::rename_noreplace(&staged, &target)?;
    Ok(Switched::Created)
}

/// Undoes [`switch`].
fn unswitch(root: &Path, stage: &Path, rel: &Path, how: Switched) -> io::Result<()> {
    let staged = stage.join("new").join(rel);
    let target = root.join(rel);
    match how {
        Switched::Exchanged => sys::exchange(&staged, &target),
        Switched::Created => std::fs::rename(&target, &staged),
        Switched::Aside => {
            std::fs::rename(&target, &staged)?;
            std::fs::rename(stage.join("old").join(rel), &target)
        }
    }
}

/// One unit in the journal: its path, and the identity (device, inode) of
/// its staged version, which tells whether it was switched.
#[derive(Debug)]
struct JournalUnit {
    path: PathBuf,
    identity: Option<(u64, u64)>,
}

const JOURNAL_KIND: &str = "pims-codegen staging journal";

fn write_journal(stage: &Path, units: &[JournalUnit]) -> Result<(), WriteError> {
    let units: Vec<serde_json::Value> = units
        .iter()
        .map(|u| {
            let mut o = serde_json::Map::new();
            o.insert("path".into(), u.path.to_string_lossy().into_owned().into());
            if let Some((dev, ino)) = u.identity {
                o.insert("dev".into(), dev.into());
                o.insert("ino".into(), ino.into());
            }
            serde_json::Value::Object(o)
        })
        .collect();
    let text =
        emit::json(&serde_json::json!({ "kind": JOURNAL_KIND, "version": 1, "units": units }));
    let tmp = stage.join("journal.tmp");
    let io = |e| WriteError::Io(tmp.clone(), e);
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&tmp, stage.join(JOURNAL)).map_err(io)?;
    sys::sync_dir(stage).map_err(|e| WriteError::Io(stage.to_owned(), e))
}

/// The units of the journal at `path`, if there is one; a journal this
/// generator did not write is refused.
fn read_journal(path: &Path) -> Result<Option<Vec<JournalUnit>>, WriteError> {
    let bad = |why: &str| WriteError::Journal(path.to_owned(), why.to_owned());
    let file = match sys::open_read(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(WriteError::Io(path.to_owned(), e)),
    };
    let mut text = Vec::new();
    file.take(1 << 20)
        .read_to_end(&mut text)
        .map_err(|e| WriteError::Io(path.to_owned(), e))?;
    let value: serde_json::Value =
        serde_json::from_slice(&text).map_err(|_| bad("not a journal of pims-codegen"))?;
    if value["kind"] != JOURNAL_KIND || value["version"] != 1 {
        return Err(bad("not a journal of pims-codegen"));
    }
    let list = value["units"]
        .as_array()
        .ok_or_else(|| bad("a journal without units"))?;
    let mut units = Vec::new();
    for u in list {
        let path = PathBuf::from(
            u["path"]
                .as_str()
                .ok_or_else(|| bad("a unit without a path"))?,
        );
        if !plain(&path) {
            return Err(bad("a unit path that is not plain and relative"));
        }
        let identity = match (u["dev"].as_u64(), u["ino"].as_u64()) {
            (Some(dev), Some(ino)) => Some((dev, ino)),
            _ if cfg!(unix) => return Err(bad("a unit without its identity")),
            _ => None,
        };
        units.push(JournalUnit { path, identity });
    }
    Ok(Some(units))
}

/// Whether `path` is relative, made of plain names only, and not in the
/// staging folder.
fn plain(path: &Path) -> bool {
    let mut components = path.components().peekable();
    components.peek().is_some()
        && components.peek().map(|c| c.as_os_str()) != Some(OsStr::new(STAGING))
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The new output as a tree of names.
#[derive(Debug)]
enum New<'a> {
    File(&'a str),
    Dir(BTreeMap<OsString, New<'a>>),
}

impl<'a> New<'a> {
    fn of(files: &'a Files) -> Result<New<'a>, WriteError> {
        let mut root = New::Dir(BTreeMap::new());
        for (rel, text) in files {
            if !plain(rel) {
                return Err(WriteError::BadPath(rel.clone()));
            }
            let names: Vec<&OsStr> = rel.iter().collect();
            let mut node = &mut root;
            for (i, name) in names.iter().enumerate() {
                let New::Dir(children) = node else {
                    return Err(WriteError::BadPath(rel.clone()));
                };
                node = if i + 1 == names.len() {
                    if children.insert(name.into(), New::File(text)).is_some() {
                        return Err(WriteError::BadPath(rel.clone()));
                    }
                    &mut *children.get_mut(*name).expect("just inserted")
                } else {
                    children
                        .entry(name.into())
                        .or_insert_with(|| New::Dir(BTreeMap::new()))
                };
            }
        }
        Ok(root)
    }

    fn get(&self, rel: &Path) -> Option<&New<'a>> {
        let mut node = self;
        for name in rel {
            match node {
                New::Dir(children) => node = children.get(name)?,
                New::File(_) => return None,
            }
        }
        Some(node)
    }
}

/// What an owned folder holds now.
#[derive(Debug)]
enum Old {
    Dir {
        children: BTreeMap<OsString, Old>,
        mode: Option<u32>,
    },
    /// A regular file with this generator's header.
    Ours,
    /// A temporary file an earlier version left beside its target.
    Leftover,
    /// Anything else that is not a folder or a symlink: kept as it is.
    Other,
    Symlink,
}

/// The new version of a unit, to be built in the staging folder.
#[derive(Debug)]
enum Staged<'a> {
    /// A file with these bytes.
    Write(&'a str),
    /// The entry at this path of the old output, kept (a hard link, a copy
    /// if links are refused).
    Keep(PathBuf),
    /// A symlink of the old output, recreated as it is (never followed).
    Symlink(PathBuf),
    Dir {
        children: BTreeMap<OsString, Staged<'a>>,
        mode: Option<u32>,
    },
}

/// One rename of the switch.
#[derive(Debug)]
struct Unit<'a> {
    /// Relative to the output folder.
    path: PathBuf,
    /// Whether something is there now (swapped) or not (created).
    exists: bool,
    tree: Staged<'a>,
}

/// What a write would do.
#[derive(Debug, Default)]
struct Plan<'a> {
    /// Files to write, and whether they exist now.
    written: Vec<(PathBuf, bool)>,
    unchanged: Vec<PathBuf>,
    removed: Vec<PathBuf>,
    /// Temporary files of earlier versions, to remove.
    leftovers: Vec<PathBuf>,
    units: Vec<Unit<'a>>,
    /// Folders the switch changes or removes: they must be writable.
    changes: Vec<PathBuf>,
    /// The output folder's device.
    device: Option<u64>,
}

impl<'a> Plan<'a> {
    fn make(
        root: &Path,
        files: &'a Files,
        owned: &[&Path],
        command: &str,
    ) -> Result<Plan<'a>, WriteError> {
        let new = New::of(files)?;
        for dir in owned {
            if !plain(dir) {
                return Err(WriteError::BadPath(dir.to_path_buf()));
            }
        }
        // an owned folder inside another is part of it
        let mut owned: Vec<&Path> = owned.to_vec();
        owned.sort();
        owned.dedup();
        let outer: Vec<&Path> = owned
            .iter()
            .filter(|d| !owned.iter().any(|o| o != *d && d.starts_with(o)))
            .copied()
            .collect();
        let root_meta = std::fs::metadata(root).map_err(|e| WriteError::Io(root.to_owned(), e))?;
        let mut plan = Plan {
            device: sys::device(&root_meta),
            ..Plan::default()
        };
        // the units: each owned folder, each generated file outside them, or
        // the first missing folder on the way to one
        let mut targets: Vec<(PathBuf, bool)> =
            outer.iter().map(|d| (d.to_path_buf(), true)).collect();
        targets.extend(
            files
                .keys()
                .filter(|p| !outer.iter().any(|d| p.starts_with(d)))
                .map(|p| (p.clone(), false)),
        );
        let mut created: Vec<PathBuf> = Vec::new();
        for (target, is_owned) in targets {
            if let Some(missing) = plan.first_missing(root, &target)? {
                if new.get(&missing).is_some() && !created.iter().any(|c| missing.starts_with(c)) {
                    created.push(missing);
                }
                continue;
            }
            let path = root.join(&target);
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(meta) => Some(meta),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(WriteError::Io(path, e)),
            };
            match meta {
                None => {
                    if is_owned && new.get(&target).is_none() {
                        continue; // nothing there, nothing to put there
                    }
                    created.push(target);
                }
                Some(meta) if meta.file_type().is_symlink() => {
                    return Err(WriteError::Symlink(path));
                }
                Some(meta) if is_owned => {
                    if !meta.is_dir() {
                        return Err(WriteError::InTheWay(path, "a file where a folder must go"));
                    }
                    plan.same_device(&path, &meta)?;
                    let old = plan.read_old(root, &target, &meta, false, command)?;
                    let before = (plan.written.len(), plan.removed.len());
                    // the folder itself stays, if only empty
                    let tree = plan
                        .merge(root, &target, Some(&old), new.get(&target))?
                        .unwrap_or(Staged::Dir {
                            children: BTreeMap::new(),
                            mode: sys::mode(&meta),
                        });
                    if (plan.written.len(), plan.removed.len()) != before {
                        plan.old_dirs(&target, &old);
                        plan.units.push(Unit {
                            path: target,
                            exists: true,
                            tree,
                        });
                    }
                }
                Some(meta) => {
                    let text = match new.get(&target) {
                        Some(New::File(text)) => *text,
                        _ => return Err(WriteError::BadPath(target)),
                    };
                    if meta.is_dir() {
                        return Err(WriteError::InTheWay(
                            path,
                            "a folder where a generated file must go",
                        ));
                    }
                    if !meta.is_file() {
                        return Err(WriteError::InTheWay(
                            path,
                            "not a regular file, where a generated file must go",
                        ));
                    }
                    plan.leftovers_beside(root, &target, command)?;
                    if same_bytes(&path, text)? {
                        plan.unchanged.push(target);
                    } else if emit::is_ours(
                        &target,
                        &read_head(&path).map_err(|e| WriteError::Io(path.clone(), e))?,
                        command,
                    ) {
                        plan.written.push((target.clone(), true));
                        plan.changes.push(parent_of(&target));
                        plan.units.push(Unit {
                            path: target,
                            exists: true,
                            tree: Staged::Write(text),
                        });
                    } else {
                        return Err(WriteError::HandWritten(path));
                    }
                }
            }
        }
        for path in created {
            let tree = plan
                .merge(root, &path, None, new.get(&path))?
                .ok_or_else(|| WriteError::BadPath(path.clone()))?;
            plan.changes.push(parent_of(&path));
            plan.units.push(Unit {
                path,
                exists: false,
                tree,
            });
        }
        plan.units.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(plan)
    }

    /// The first folder on the way to `target` (not `target` itself) that
    /// does not exist; an error for a symlink or a file on the way.
    fn first_missing(&self, root: &Path, target: &Path) -> Result<Option<PathBuf>, WriteError> {
        let mut rel = PathBuf::new();
        let names: Vec<&OsStr> = target.iter().collect();
        for name in &names[..names.len().saturating_sub(1)] {
            rel.push(name);
            let path = root.join(&rel);
            match std::fs::symlink_metadata(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Some(rel)),
                Err(e) => return Err(WriteError::Io(path, e)),
                Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink(path)),
                Ok(m) if !m.is_dir() => {
                    return Err(WriteError::InTheWay(path, "a file where a folder must go"));
                }
                Ok(m) => self.same_device(&path, &m)?,
            }
        }
        Ok(None)
    }

    fn same_device(&self, path: &Path, meta: &std::fs::Metadata) -> Result<(), WriteError> {
        if self.device.is_some() && sys::device(meta) != self.device {
            return Err(WriteError::OtherFileSystem(path.to_owned()));
        }
        Ok(())
    }

    /// What the folder `rel` holds, read without following any symlink;
    /// below hidden folders and `target`, every file counts as someone else's.
    fn read_old(
        &mut self,
        root: &Path,
        rel: &Path,
        meta: &std::fs::Metadata,
        opaque: bool,
        command: &str,
    ) -> Result<Old, WriteError> {
        let path = root.join(rel);
        let io = |e| WriteError::Io(path.clone(), e);
        let mut entries: Vec<_> = std::fs::read_dir(&path)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        let mut children = BTreeMap::new();
        for entry in entries {
            let name = entry.file_name();
            let child = rel.join(&name);
            let child_path = root.join(&child);
            let meta = std::fs::symlink_metadata(&child_path)
                .map_err(|e| WriteError::Io(child_path.clone(), e))?;
            self.same_device(&child_path, &meta)?;
            let kind = meta.file_type();
            let old = if kind.is_symlink() {
                Old::Symlink
            } else if kind.is_dir() {
                let n = name.to_string_lossy();
                let opaque = opaque || n == "target" || n.starts_with('.');
                self.read_old(root, &child, &meta, opaque, command)?
            } else if kind.is_file() && !opaque {
                let head = read_head(&child_path).map_err(|e| WriteError::Io(child_path, e))?;
                if emit::is_ours(&child, &head, command) {
                    Old::Ours
                } else if leftover(&child, &head, command) {
                    self.leftovers.push(child.clone());
                    Old::Leftover
                } else {
                    Old::Other
                }
            } else {
                Old::Other
            };
            children.insert(name, old);
        }
        Ok(Old::Dir {
            children,
            mode: sys::mode(meta),
        })
    }

    /// Temporary files of earlier versions beside the file `rel`.
    fn leftovers_beside(
        &mut self,
        root: &Path,
        rel: &Path,
        command: &str,
    ) -> Result<(), WriteError> {
        let parent = parent_of(rel);
        let Some(name) = rel.file_name().and_then(OsStr::to_str) else {
            return Ok(());
        };
        let prefix = format!(".{name}.");
        let dir = root.join(&parent);
        let entries = std::fs::read_dir(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            if !file_name.to_str().is_some_and(|n| n.starts_with(&prefix))
                || !entry.file_type().is_ok_and(|t| t.is_file())
            {
                continue;
            }
            let child = parent.join(&file_name);
            if read_head(&root.join(&child)).is_ok_and(|h| leftover(&child, &h, command)) {
                self.leftovers.push(child);
            }
        }
        Ok(())
    }

    /// Every folder of the old tree at `rel`: the switch removes them.
    fn old_dirs(&mut self, rel: &Path, old: &Old) {
        if let Old::Dir { children, .. } = old {
            self.changes.push(rel.to_path_buf());
            for (name, child) in children {
                self.old_dirs(&rel.join(name), child);
            }
        }
        if !rel.as_os_str().is_empty() {
            self.changes.push(parent_of(rel));
        }
    }

    /// The new version of `rel`, from what is there (`old`) and what must be
    /// there (`new`); `None` when nothing is left of it.
    fn merge(
        &mut self,
        root: &Path,
        rel: &Path,
        old: Option<&Old>,
        new: Option<&New<'a>>,
    ) -> Result<Option<Staged<'a>>, WriteError> {
        let path = || root.join(rel);
        Ok(match (old, new) {
            (None, None) => None,
            (Some(Old::Ours), None) => {
                self.removed.push(rel.to_path_buf());
                None
            }
            (Some(Old::Leftover), None) => None,
            (Some(Old::Other), None) => Some(Staged::Keep(rel.to_path_buf())),
            (Some(Old::Symlink), None) => Some(Staged::Symlink(rel.to_path_buf())),
            (Some(Old::Dir { children, mode }), None) => {
                let mut kept = BTreeMap::new();
                for (name, child) in children {
                    if let Some(s) = self.merge(root, &rel.join(name), Some(child), None)? {
                        kept.insert(name.clone(), s);
                    }
                }
                // a folder emptied of stale files goes; one empty before stays
                (children.is_empty() || !kept.is_empty()).then_some(Staged::Dir {
                    children: kept,
                    mode: *mode,
                })
            }
            (None, Some(New::File(text))) => {
                self.written.push((rel.to_path_buf(), false));
                Some(Staged::Write(text))
            }
            (None | Some(Old::Ours | Old::Leftover), Some(New::Dir(children))) => {
                if let Some(Old::Ours) = old {
                    self.removed.push(rel.to_path_buf());
                }
                let mut staged = BTreeMap::new();
                for (name, child) in children {
                    if let Some(s) = self.merge(root, &rel.join(name), None, Some(child))? {
                        staged.insert(name.clone(), s);
                    }
                }
                Some(Staged::Dir {
                    children: staged,
                    mode: None,
                })
            }
            (Some(Old::Ours), Some(New::File(text))) => {
                if same_bytes(&path(), text)? {
                    self.unchanged.push(rel.to_path_buf());
                    Some(Staged::Keep(rel.to_path_buf()))
                } else {
                    self.written.push((rel.to_path_buf(), true));
                    Some(Staged::Write(text))
                }
            }
            (Some(Old::Symlink), Some(_)) => return Err(WriteError::Symlink(path())),
            (Some(Old::Other | Old::Leftover), Some(New::File(_))) => {
                return Err(
                    if std::fs::symlink_metadata(path()).is_ok_and(|m| m.is_file()) {
                        WriteError::HandWritten(path())
                    } else {
                        WriteError::InTheWay(
                            path(),
                            "not a regular file, where a generated file must go",
                        )
                    },
                );
            }
            (Some(Old::Other), Some(New::Dir(_))) => {
                return Err(WriteError::InTheWay(
                    path(),
                    "a file where a folder must go",
                ));
            }
            (Some(dir @ Old::Dir { .. }), Some(New::File(text))) => {
                if !only_ours(dir) {
                    return Err(WriteError::InTheWay(
                        path(),
                        "a folder with files of its own, where a generated file must go",
                    ));
                }
                let _ = self.merge(root, rel, Some(dir), None)?;
                self.written.push((rel.to_path_buf(), false));
                Some(Staged::Write(text))
            }
            (Some(Old::Dir { children, mode }), Some(New::Dir(new))) => {
                let mut names: Vec<&OsString> = children.keys().chain(new.keys()).collect();
                names.sort();
                names.dedup();
                let mut staged = BTreeMap::new();
                for name in names {
                    let s = self.merge(root, &rel.join(name), children.get(name), new.get(name))?;
                    if let Some(s) = s {
                        staged.insert(name.clone(), s);
                    }
                }
                Some(Staged::Dir {
                    children: staged,
                    mode: *mode,
                })
            }
        })
    }

    /// Refuses the write when a folder the switch changes or removes is not
    /// writable: the old output stays whole.
    fn check_writable(&self, root: &Path) -> Result<(), WriteError> {
        let mut seen: Vec<&PathBuf> = self.changes.iter().collect();
        seen.sort();
        seen.dedup();
        for rel in seen {
            let path = root.join(rel);
            if !sys::writable(&path) {
                return Err(WriteError::ReadOnly(path));
            }
        }
        Ok(())
    }
}

/// Whether a folder holds only files of ours (and leftovers) at any depth.
fn only_ours(old: &Old) -> bool {
    match old {
        Old::Ours | Old::Leftover => true,
        Old::Dir { children, .. } => children.values().all(only_ours),
        Old::Other | Old::Symlink => false,
    }
}

/// Whether `rel`, with `head` as its first bytes, is a temporary file an
/// earlier version left: `.NAME.PID.tmp`, empty or holding our output.
fn leftover(rel: &Path, head: &[u8], command: &str) -> bool {
    let Some(name) = rel.file_name().and_then(OsStr::to_str) else {
        return false;
    };
    let Some(middle) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((base, pid)) = middle.rsplit_once('.') else {
        return false;
    };
    if base.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    head.is_empty() || emit::is_ours(&parent_of(rel).join(base), head, command)
}

fn parent_of(rel: &Path) -> PathBuf {
    rel.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The first bytes of a file: enough for any header.
fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    sys::open_read(path)?.take(1024).read_to_end(&mut head)?;
    Ok(head)
}

/// Whether the file at `path` holds exactly `text` (read to one byte more).
fn same_bytes(path: &Path, text: &str) -> Result<bool, WriteError> {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    sys::open_read(path)
        .and_then(|f| f.take(text.len() as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| WriteError::Io(path.to_owned(), e))?;
    Ok(bytes == text.as_bytes())
}

/// Builds `tree` at `to` (in the staging folder); `rel` is its path in the
/// output folder. Files written are listed in `synced`.
fn materialize(
    root: &Path,
    rel: &Path,
    tree: &Staged<'_>,
    to: &Path,
    synced: &mut Vec<PathBuf>,
) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(to.to_owned(), e);
    match tree {
        Staged::Write(text) => {
            let mut file = std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(to)
                .map_err(io)?;
            file.write_all(text.as_bytes()).map_err(io)?;
            synced.push(to.to_owned());
        }
        Staged::Keep(from) => {
            let from = root.join(from);
            if let Err(e) = std::fs::hard_link(&from, to) {
                // a file system without hard links (or one that refuses them
                // for this file): a copy, with its permissions; only of a
                // regular file (opening a FIFO to copy it would block)
                if !std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
                    return Err(WriteError::Io(from, e));
                }
                std::fs::copy(&from, to).map_err(|e| WriteError::Io(from.clone(), e))?;
                synced.push(to.to_owned());
            }
        }
        Staged::Symlink(from) => {
            let from = root.join(from);
            let target = std::fs::read_link(&from).map_err(|e| WriteError::Io(from, e))?;
            sys::symlink(&target, to).map_err(io)?;
        }
        Staged::Dir { children, mode } => {
            std::fs::create_dir(to).map_err(io)?;
            for (name, child) in children {
                materialize(root, &rel.join(name), child, &to.join(name), synced)?;
            }
            if let Some(mode) = mode {
                sys::set_mode(to, *mode).map_err(io)?;
            }
            synced.push(to.to_owned());
        }
    }
    Ok(())
}

/// What the platform gives: Unix through rustix, a plainer fallback elsewhere.
#[cfg(unix)]
mod sys {
    use std::fs::{File, Metadata};
    use std::io;
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    use std::path::Path;

    use super::WriteError;

    /// An exclusive lock on the output folder, held until dropped.
    pub fn lock(dir: &Path) -> Result<File, WriteError> {
        let file = File::open(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(file),
            Err(rustix::io::Errno::WOULDBLOCK) => Err(WriteError::Busy(dir.to_owned())),
            // a file system without locks: go on unlocked
            Err(_) => Ok(file),
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
        use rustix::fs::{CWD, RenameFlags};
        match rustix::fs::renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(()),
            Err(
                rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP,
            ) => Err(io::ErrorKind::Unsupported.into()),
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    pub fn exchange(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    pub fn rename_noreplace(a: &Path, b: &Path) -> io::Result<()> {
        use rustix::fs::{CWD, RenameFlags};
        match rustix::fs::renameat_with(CWD, a, CWD, b, RenameFlags::NOREPLACE) {
            Ok(()) => Ok(()),
            Err(
                rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP,
            ) => std::fs::rename(a, b),
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    pub fn rename_noreplace(a: &Path, b: &Path) -> io::Result<()> {
        std::fs::rename(a, b)
    }

    /// Makes the staged files and folders durable.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn sync_staged(stage: &Path, _: &[std::path::PathBuf]) -> io::Result<()> {
        rustix::fs::syncfs(&File::open(stage)?).map_err(Into::into)
    }

    /// Makes the staged files and folders durable.
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub fn sync_staged(stage: &Path, staged: &[std::path::PathBuf]) -> io::Result<()> {
        for path in staged {
            File::open(path)?.sync_all()?;
        }
        sync_dir(stage)
    }

    pub fn sync_dir(dir: &Path) -> io::Result<()> {
        File::open(dir)?.sync_all()
    }

    /// Whether this process may create and remove entries in `dir`.
    pub fn writable(dir: &Path) -> bool {
        use rustix::fs::{Access, AtFlags, CWD};
        rustix::fs::accessat(
            CWD,
            dir,
            Access::WRITE_OK | Access::EXEC_OK,
            AtFlags::EACCESS,
        )
        .is_ok()
    }

    pub fn identity(meta: &Metadata) -> Option<(u64, u64)> {
        Some((meta.dev(), meta.ino()))
    }

    pub fn device(meta: &Metadata) -> Option<u64> {
        Some(meta.dev())
    }

    pub fn mode(meta: &Metadata) -> Option<u32> {
        Some(meta.permissions().mode() & 0o7777)
    }

    pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }

    pub fn symlink(target: &Path, link: &Path) -> io::Result<()> {
        std::os::unix::fs::symlink(target, link)
    }

    /// Opens a file to read, never following a final symlink, never blocking.
    pub fn open_read(path: &Path) -> io::Result<File> {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(File::from(fd))
    }
}

#[cfg(not(unix))]
mod sys {
    use std::fs::{File, Metadata};
    use std::io;
    use std::path::Path;

    use super::WriteError;

    pub fn lock(dir: &Path) -> Result<(), WriteError> {
        let _ = dir;
        Ok(())
    }

    pub fn exchange(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    pub fn rename_noreplace(a: &Path, b: &Path) -> io::Result<()> {
        if b.exists() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        std::fs::rename(a, b)
    }

    pub fn sync_staged(_: &Path, staged: &[std::path::PathBuf]) -> io::Result<()> {
        for path in staged {
            if path.is_file() {
                File::open(path)?.sync_all()?;
            }
        }
        Ok(())
    }

    pub fn sync_dir(_: &Path) -> io::Result<()> {
        Ok(())
    }

    pub fn writable(dir: &Path) -> bool {
        std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
    }

    pub fn identity(_: &Metadata) -> Option<(u64, u64)> {
        None
    }

    pub fn device(_: &Metadata) -> Option<u64> {
        None
    }

    pub fn mode(_: &Metadata) -> Option<u32> {
        None
    }

    pub fn set_mode(_: &Path, _: u32) -> io::Result<()> {
        Ok(())
    }

    pub fn symlink(target: &Path, link: &Path) -> io::Result<()> {
        let _ = (target, link);
        Err(io::ErrorKind::Unsupported.into())
    }

    pub fn open_read(path: &Path) -> io::Result<File> {
        File::open(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMD: &str = "pims-codegen test";

    /// A generated file's text: this generator's header for its kind, then `body`.
    fn ours(path: &str, body: &str) -> String {
        let kind = emit::Kind::of(Path::new(path)).expect("a kind we write");
        format!("{}{body}\n", kind.prefix(&emit::header(CMD)))
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(p, body)| (PathBuf::from(p), ours(p, body)))
            .collect()
    }

    /// Every file and folder below `dir` (symlinks as their target), the
    /// staging folder excepted.
    fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
        fn walk(root: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, String>) {
            let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
                return;
            };
            for entry in entries {
                let entry = entry.unwrap();
                let child = rel.join(entry.file_name());
                if child == Path::new(STAGING) {
                    continue;
                }
                let kind = entry.file_type().unwrap();
                if kind.is_symlink() {
                    let to = std::fs::read_link(root.join(&child)).unwrap();
                    out.insert(child, format!("-> {}", to.display()));
                } else if kind.is_dir() {
                    out.insert(child.clone(), "/".into());
                    walk(root, &child, out);
                } else {
                    out.insert(
                        child.clone(),
                        std::fs::read_to_string(root.join(&child)).unwrap(),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, Path::new(""), &mut out);
        out
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned = [Path::new("gen")];
        let first = files(&[("gen/a.rs", "a"), ("gen/b.rs", "b"), ("Top.toml", "t")]);
        let r = write(root, &first, &owned, CMD).unwrap();
        assert_eq!(r.written.len(), 3);
        let second = files(&[("gen/a.rs", "a"), ("gen/c.rs", "c"), ("Top.toml", "t")]);
        let r = write(root, &second, &owned, CMD).unwrap();
        assert_eq!(
            r.unchanged,
            vec![PathBuf::from("Top.toml"), PathBuf::from("gen/a.rs")]
        );
        assert_eq!(r.written, vec![PathBuf::from("gen/c.rs")]);
        assert_eq!(r.removed, vec![PathBuf::from("gen/b.rs")]);
        assert!(!root.join("gen/b.rs").exists());
        assert_eq!(drift(root, &second, &owned, CMD).unwrap(), vec![]);
        // nothing changes: nothing is staged, nothing is written
        let r = write(root, &second, &owned, CMD).unwrap();
        assert!(r.written.is_empty() && r.removed.is_empty(), "{r:?}");
        assert!(!root.join(STAGING).exists());
    }

    #[test]
    fn never_overwrites_a_hand_written_file_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::write(root.join("gen/b.rs"), "hand written").unwrap();
        let f = files(&[("gen/a.rs", "a"), ("gen/b.rs", "b")]);
        let err = write(root, &f, &[Path::new("gen")], CMD).unwrap_err();
        assert!(matches!(err, WriteError::HandWritten(_)), "{err}");
        assert!(!root.join("gen/a.rs").exists(), "nothing is written");
        assert_eq!(
            std::fs::read_to_string(root.join("gen/b.rs")).unwrap(),
            "hand written"
        );
        assert!(!root.join(STAGING).exists());
    }

    #[test]
    fn only_the_exact_header_of_this_command_is_ours() {
        let header = emit::header(CMD);
        for (path, text, is_ours) in [
            ("a.rs", format!("// {header}\nfn x() {{}}\n"), true),
            ("a.rs", format!("// {header} (edited)\n"), false),
            ("a.rs", format!("//{header}\n"), false),
            ("a.rs", format!("\n// {header}\n"), false),
            ("a.rs", "// not @generated, edit freely\n".to_owned(), false),
            (
                "a.rs",
                "// This file is @generated by prost-build.\n".to_owned(),
                false,
            ),
            ("a.rs", format!("// {}\n", emit::header("other")), false),
            ("a.rs", format!("# {header}\n"), false),
            ("a.toml", format!("# {header}\n[x]\n"), true),
            ("a.toml", format!("// {header}\n"), false),
            ("a.md", format!("<!-- {header} -->\n\n# x\n"), true),
            ("a.md", "<!-- @generated -->\n".to_owned(), false),
            (
                "a.json",
                format!("{{\n  \"$comment\": \"{header}\",\n}}"),
                true,
            ),
            (
                "a.json",
                format!("{{\n  \"$comment\": \"{header} x\",\n"),
                false,
            ),
            ("a.json", "{\"$comment\": \"@generated\"}".to_owned(), false),
            ("a.txt", format!("// {header}\n"), false),
            ("a", format!("// {header}\n"), false),
            // the previous header line, exactly, is still ours
            (
                "a.rs",
                format!("// @generated by `{CMD}`; do not edit.\n"),
                true,
            ),
            (
                "a.rs",
                format!("// @generated by `{CMD}`; do not edit. Mine.\n"),
                false,
            ),
        ] {
            assert_eq!(
                emit::is_ours(Path::new(path), text.as_bytes(), CMD),
                is_ours,
                "{path}: {text:?}"
            );
        }
    }

    /// Every kind of file the emitters write carries the header `is_ours` knows.
    #[test]
    fn every_emitted_file_is_recognised_as_ours() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/good");
        let analysis = crate::analyze(&spec);
        let ir = analysis.into_ir().expect("the good spec checks");
        let settings = emit::Settings::new("spec");
        let dep = emit::RuntimeDep::Vendored;
        let mut all = emit::crate_files(&ir, &settings, CMD, "x", &dep).unwrap();
        all.extend(
            emit::book::book_files(&ir, &settings, CMD)
                .unwrap()
                .into_iter()
                .map(|(p, t)| (Path::new("book").join(p), t)),
        );
        all.extend(emit::meta_schema_files(CMD));
        for (dir, files) in [
            (
                "kotlin",
                emit::kotlin::files(&ir, &settings, CMD, "pims.sdk").unwrap(),
            ),
            (
                "swift",
                emit::swift::package_files(&ir, &settings, CMD, "PimsSdk").unwrap(),
            ),
        ] {
            all.extend(files.into_iter().map(|(p, t)| (Path::new(dir).join(p), t)));
        }
        all.insert(
            "openapi.json".into(),
            emit::openapi::file(&ir, emit::openapi::Version::default(), &emit::header(CMD)),
        );
        let mut kinds = std::collections::BTreeSet::new();
        for (path, text) in &all {
            assert!(
                emit::is_ours(path, text.as_bytes(), CMD),
                "{}: {:?}",
                path.display(),
                text.lines().take(2).collect::<Vec<_>>()
            );
            assert!(!emit::is_ours(path, text.as_bytes(), "another command"));
            kinds.insert(format!("{:?}", emit::Kind::of(path)));
        }
        assert_eq!(
            kinds.len(),
            5,
            "rs (kt, swift), toml, md, json and css are all written: {kinds:?}"
        );
        for name in [
            "Cargo.toml",
            "src/lib.rs",
            "book/book.toml",
            "book/src/SUMMARY.md",
        ] {
            assert!(all.contains_key(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn hand_written_entries_in_owned_folders_stay_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned = [Path::new("gen")];
        write(
            root,
            &files(&[("gen/a.rs", "a"), ("gen/sub/s.rs", "s")]),
            &owned,
            CMD,
        )
        .unwrap();
        std::fs::write(root.join("gen/notes.md"), "mine").unwrap();
        std::fs::create_dir_all(root.join("gen/empty")).unwrap();
        std::fs::create_dir_all(root.join("gen/.cache")).unwrap();
        // a file of ours inside a hidden folder is not ours to remove
        std::fs::write(root.join("gen/.cache/old.rs"), ours("x.rs", "x")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("../elsewhere", root.join("gen/link")).unwrap();
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt as _;
            std::fs::metadata(root.join("gen/notes.md")).unwrap().ino()
        };
        let r = write(root, &files(&[("gen/a.rs", "A")]), &owned, CMD).unwrap();
        assert_eq!(r.removed, vec![PathBuf::from("gen/sub/s.rs")]);
        let t = tree(root);
        assert_eq!(
            t.get(Path::new("gen/notes.md")).map(String::as_str),
            Some("mine")
        );
        assert!(
            t.contains_key(Path::new("gen/empty")),
            "an empty folder stays"
        );
        assert!(t.contains_key(Path::new("gen/.cache/old.rs")));
        assert!(
            !t.contains_key(Path::new("gen/sub")),
            "a folder emptied of stale files goes"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            assert_eq!(
                t.get(Path::new("gen/link")).map(String::as_str),
                Some("-> ../elsewhere"),
                "a symlink is kept as a symlink"
            );
            let after = std::fs::metadata(root.join("gen/notes.md")).unwrap().ino();
            assert_eq!(
                after, inode,
                "the very same file, linked into the new folder"
            );
        }
    }

    #[test]
    fn drift_names_missing_changed_and_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned = [Path::new("gen")];
        write(
            root,
            &files(&[("gen/a.rs", "a"), ("gen/s.rs", "s")]),
            &owned,
            CMD,
        )
        .unwrap();
        let want = files(&[("gen/a.rs", "A"), ("gen/n.rs", "n")]);
        let d = drift(root, &want, &owned, CMD).unwrap();
        assert_eq!(
            d,
            vec![
                Drift::Changed("gen/a.rs".into()),
                Drift::Missing("gen/n.rs".into()),
                Drift::Stale("gen/s.rs".into())
            ]
        );
    }

    #[test]
    fn paths_that_are_not_plain_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        for bad in [
            "../escape.rs",
            "/abs.rs",
            "gen/../../x.rs",
            ".pims-codegen-staging/x.rs",
        ] {
            let mut f = Files::new();
            f.insert(PathBuf::from(bad), ours("x.rs", "x"));
            let err = write(&root, &f, &[], CMD).unwrap_err();
            assert!(matches!(err, WriteError::BadPath(_)), "{bad}: {err}");
        }
        assert!(!dir.path().join("escape.rs").exists());
    }

    /// The steps a write from `a` to `b` goes through.
    fn steps(a: &Files, b: &Files, owned: &[&Path]) -> Vec<Step> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), a, owned, CMD).unwrap();
        let mut seen = Vec::new();
        write_with(dir.path(), b, owned, CMD, &mut |s| {
            seen.push(s);
            None
        })
        .unwrap();
        seen
    }

    /// Two outputs that differ in every unit: a file outside the owned
    /// folders, two owned folders, a new folder and a stale one.
    fn two_outputs() -> (Files, Files) {
        let a = files(&[
            ("Cargo.toml", "a"),
            ("src/lib.rs", "a"),
            ("src/gen/x.rs", "a"),
            ("src/gen/old/y.rs", "a"),
            ("schemas/p/a.json", "a"),
        ]);
        let b = files(&[
            ("Cargo.toml", "b"),
            ("src/lib.rs", "b"),
            ("src/gen/x.rs", "b"),
            ("src/gen/new/z.rs", "b"),
            ("schemas/p/a.json", "b"),
            ("schemas/q/b.json", "b"),
            ("docs/book.toml", "b"),
        ]);
        (a, b)
    }

    const OWNED: [&str; 2] = ["src", "schemas"];

    /// A failure at any step leaves the old output, whole, and no staging
    /// folder; a crash at any step leaves the old or the new output (or,
    /// between the renames of the switch, whole units of both and the
    /// journal), and the next write completes either way.
    #[test]
    fn a_failure_or_a_crash_at_any_step_leaves_old_or_new() {
        let owned: Vec<&Path> = OWNED.iter().map(Path::new).collect();
        let (a, b) = two_outputs();
        let all = steps(&a, &b, &owned);
        assert!(all.contains(&Step::Switch(3)), "four units: {all:?}");
        let reference = |f: &Files| {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), f, &owned, CMD).unwrap();
            std::fs::write(dir.path().join("src/mine.rs"), "mine").unwrap();
            (tree(dir.path()), dir)
        };
        let (old, _keep_a) = reference(&a);
        let (new, _keep_b) = reference(&b);
        let mut switching = 0;
        // the write after a crash is of either output
        for step in &all {
            for (crash, next) in [(false, None), (true, Some(&b)), (true, Some(&a))] {
                let dir = tempfile::tempdir().unwrap();
                let root = dir.path();
                write(root, &a, &owned, CMD).unwrap();
                std::fs::write(root.join("src/mine.rs"), "mine").unwrap();
                let result = write_with(root, &b, &owned, CMD, &mut |s| {
                    (s == *step).then(|| {
                        if crash {
                            Fault::Crash
                        } else {
                            Fault::Fail(io::Error::other("injected"))
                        }
                    })
                });
                let after = tree(root);
                let at = format!("{step:?}, crash {crash}");
                let Some(next) = next else {
                    if *step == Step::Cleanup {
                        assert!(result.is_ok(), "{at}");
                        assert_eq!(after, new, "{at}");
                    } else {
                        assert!(result.is_err(), "{at}");
                        assert_eq!(after, old, "{at}: the old output, whole");
                        assert!(!root.join(STAGING).exists(), "{at}: nothing left");
                    }
                    continue;
                };
                assert!(result.is_err(), "{at}");
                if after != old && after != new {
                    assert!(matches!(step, Step::Switch(_)), "{at}: {after:#?}");
                    assert!(root.join(STAGING).join(JOURNAL).exists(), "{at}");
                    for (path, text) in &after {
                        assert!(
                            old.get(path) == Some(text) || new.get(path) == Some(text),
                            "{at}: {} is neither old nor new",
                            path.display()
                        );
                    }
                    switching += 1;
                }
                // with the journal there, the switch to B is finished first;
                // B's file outside the owned folders then stays (such files
                // are replaced, never removed)
                let rolled = root.join(STAGING).join(JOURNAL).exists();
                write(root, next, &owned, CMD).unwrap();
                let want = if std::ptr::eq(next, &b) {
                    new.clone()
                } else if rolled {
                    let mut want = old.clone();
                    want.extend(
                        new.iter()
                            .filter(|(p, _)| p.starts_with("docs"))
                            .map(|(p, t)| (p.clone(), t.clone())),
                    );
                    want
                } else {
                    old.clone()
                };
                assert_eq!(tree(root), want, "{at}, then a write");
                assert!(!root.join(STAGING).exists(), "{at}");
            }
        }
        // crashes after the first and before the last of four renames (twice each)
        assert_eq!(switching, 6, "the switch window is where it is said to be");
    }

    #[test]
    fn a_journal_that_does_not_match_is_refused() {
        let owned: Vec<&Path> = OWNED.iter().map(Path::new).collect();
        let (a, b) = two_outputs();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, &a, &owned, CMD).unwrap();
        // as a pull request could commit it: a journal naming a hand-written file
        std::fs::write(root.join("README.md"), "mine").unwrap();
        std::fs::create_dir_all(root.join(STAGING).join("new")).unwrap();
        std::fs::write(root.join(STAGING).join("new/README.md"), "theirs").unwrap();
        std::fs::write(
            root.join(STAGING).join(JOURNAL),
            format!(
                "{{\"kind\": \"{JOURNAL_KIND}\", \"version\": 1, \"units\": [{{\"path\": \"README.md\", \"dev\": 1, \"ino\": 1}}]}}"
            ),
        )
        .unwrap();
        let err = write(root, &b, &owned, CMD).unwrap_err();
        assert!(matches!(err, WriteError::Journal(..)), "{err}");
        assert_eq!(
            std::fs::read_to_string(root.join("README.md")).unwrap(),
            "mine"
        );
        for (bad, why) in [
            ("not json", "not a journal"),
            (
                "{\"kind\": \"x\", \"version\": 1, \"units\": []}",
                "not a journal",
            ),
            (
                &format!(
                    "{{\"kind\": \"{JOURNAL_KIND}\", \"version\": 1, \"units\": [{{\"path\": \"../x\", \"dev\": 1, \"ino\": 1}}]}}"
                ),
                "not plain",
            ),
        ] {
            std::fs::write(root.join(STAGING).join(JOURNAL), bad).unwrap();
            let err = write(root, &b, &owned, CMD).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_concurrent_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _held = sys::lock(dir.path()).unwrap();
        let err = write(dir.path(), &files(&[("a.rs", "a")]), &[], CMD).unwrap_err();
        assert!(matches!(err, WriteError::Busy(_)), "{err}");
        assert!(!dir.path().join("a.rs").exists());
    }
}
