//! The inputs of the targets, and how they are stored: an artifact or a
//! regression case is a folder that holds one input.
//!
//! ```text
//! <case>/spec/**             a spec input: the files of the spec folder
//! <case>/root                optional: the spec folder's path as analysed (default `spec`)
//! <case>/operation.txt       a message input: `api verb name kind`
//! <case>/message.json        the message (or the parameters, for kind `parameters`)
//! <case>/finding.txt         what failed and how to replay it (not read back)
//! ```

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A fuzz target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Spec folders through load, check, lower and every emitter.
    Spec,
    /// Messages and parameters through decoding, for every operation.
    Message,
}

impl Target {
    /// Every target, in the order they run.
    pub const ALL: &'static [Target] = &[Target::Spec, Target::Message];

    /// Its name on the command line and in `fuzz/artifacts/<name>/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Spec => "spec",
            Target::Message => "message",
        }
    }

    /// The target called `name`.
    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.name() == name)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A whole spec folder, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecInput {
    /// The folder's path as given to the analysis (it shows in generated
    /// headers and docs).
    pub root: String,
    /// Its files: path relative to the folder, bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// What a message is decoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    /// The answer to a call: `decode_reply`.
    Reply,
    /// An event of a subscription: `decode_event`.
    Event,
    /// The parameters of a call, decoded into the request type and encoded back.
    Parameters,
}

impl MessageKind {
    /// Every kind.
    pub const ALL: &'static [MessageKind] = &[
        MessageKind::Reply,
        MessageKind::Event,
        MessageKind::Parameters,
    ];

    /// Its name in `operation.txt`.
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::Reply => "reply",
            MessageKind::Event => "event",
            MessageKind::Parameters => "parameters",
        }
    }

    fn parse(name: &str) -> Option<MessageKind> {
        MessageKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// A message for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInput {
    /// The operation's api, e.g. `pims.authentication.smscode`.
    pub api: String,
    /// Its verb: `get`, `set` or `subscribe`.
    pub verb: String,
    /// Its name in the spec.
    pub name: String,
    /// What the text is decoded as.
    pub kind: MessageKind,
    /// The text.
    pub text: String,
}

/// An input of either target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// For the spec target.
    Spec(SpecInput),
    /// For the message target.
    Message(MessageInput),
}

impl Input {
    /// The target this input is for.
    pub fn target(&self) -> Target {
        match self {
            Input::Spec(_) => Target::Spec,
            Input::Message(_) => Target::Message,
        }
    }

    /// A stable digest of the content, for artifact names.
    pub fn digest(&self) -> u64 {
        let mut bytes = Vec::new();
        match self {
            Input::Spec(s) => {
                bytes.extend_from_slice(s.root.as_bytes());
                for (path, data) in &s.files {
                    bytes.push(0);
                    bytes.extend_from_slice(path.to_string_lossy().as_bytes());
                    bytes.push(0);
                    bytes.extend_from_slice(data);
                }
            }
            Input::Message(m) => {
                for part in [&m.api, &m.verb, &m.name, m.kind.name(), &m.text] {
                    bytes.extend_from_slice(part.as_bytes());
                    bytes.push(0);
                }
            }
        }
        crate::rng::fnv(&bytes)
    }

    /// Writes the input into the folder `dir` (created; files of an earlier
    /// input there are not removed, so write into a new folder).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        match self {
            Input::Spec(s) => {
                if s.root != "spec" {
                    std::fs::write(dir.join("root"), &s.root)?;
                }
                for (path, data) in &s.files {
                    let rel = safe_relative(path).ok_or_else(|| {
                        io::Error::other(format!("unsafe path in a spec input: {path:?}"))
                    })?;
                    let dest = dir.join("spec").join(rel);
                    if let Some(parent) = dest.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(dest, data)?;
                }
                // a folder with no file still says which target it is for
                std::fs::create_dir_all(dir.join("spec"))?;
            }
            Input::Message(m) => {
                std::fs::write(
                    dir.join("operation.txt"),
                    format!("{} {} {} {}\n", m.api, m.verb, m.name, m.kind.name()),
                )?;
                std::fs::write(dir.join("message.json"), &m.text)?;
            }
        }
        Ok(())
    }

    /// Reads the input stored in the folder `dir`.
    pub fn read(dir: &Path) -> io::Result<Input> {
        if dir.join("operation.txt").is_file() {
            let op = std::fs::read_to_string(dir.join("operation.txt"))?;
            let words: Vec<&str> = op.split_whitespace().collect();
            let [api, verb, name, kind] = words.as_slice() else {
                return Err(io::Error::other(format!(
                    "{}: expected `api verb name kind`",
                    dir.join("operation.txt").display()
                )));
            };
            let kind = MessageKind::parse(kind).ok_or_else(|| {
                io::Error::other(format!(
                    "unknown message kind {kind:?}: expected reply, event or parameters"
                ))
            })?;
            let text = std::fs::read_to_string(dir.join("message.json"))?;
            return Ok(Input::Message(MessageInput {
                api: (*api).to_owned(),
                verb: (*verb).to_owned(),
                name: (*name).to_owned(),
                kind,
                text,
            }));
        }
        let spec = dir.join("spec");
        if spec.is_dir() {
            let root = match std::fs::read(dir.join("root")) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => "spec".to_owned(),
                Err(e) => return Err(e),
            };
            let mut files = Vec::new();
            collect(&spec, Path::new(""), &mut files)?;
            files.sort();
            return Ok(Input::Spec(SpecInput { root, files }));
        }
        Err(io::Error::other(format!(
            "{} holds no input: expected a `spec/` folder or `operation.txt` and `message.json`",
            dir.display()
        )))
    }
}

fn collect(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let rel = rel.join(entry.file_name());
        if kind.is_dir() {
            collect(&entry.path(), &rel, out)?;
        } else if kind.is_file() {
            out.push((rel, std::fs::read(entry.path())?));
        }
    }
    Ok(())
}

/// `path` if it is relative and made of plain names only (no `..`, no root):
/// stored inputs are never written outside their folder.
pub fn safe_relative(path: &Path) -> Option<&Path> {
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && path.components().next().is_some()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_survive_a_round_trip_through_a_folder() {
        let dir = std::env::temp_dir().join(format!("pims-fuzz-input-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let spec = Input::Spec(SpecInput {
            root: "odd\nroot".into(),
            files: vec![
                ("a/b.yaml".into(), b"api: x\n".to_vec()),
                ("pims.yaml".into(), vec![0xff, 0]),
            ],
        });
        spec.write(&dir.join("s")).expect("write");
        assert_eq!(Input::read(&dir.join("s")).expect("read"), spec);
        let message = Input::Message(MessageInput {
            api: "pims.a".into(),
            verb: "get".into(),
            name: "b".into(),
            kind: MessageKind::Event,
            text: "{\"x\":\n1}".into(),
        });
        message.write(&dir.join("m")).expect("write");
        assert_eq!(Input::read(&dir.join("m")).expect("read"), message);
        assert_ne!(spec.digest(), message.digest());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(safe_relative(Path::new("a/b.yaml")).is_some());
        assert!(safe_relative(Path::new("../b.yaml")).is_none());
        assert!(safe_relative(Path::new("/etc/passwd")).is_none());
        assert!(safe_relative(Path::new("")).is_none());
        let bad = Input::Spec(SpecInput {
            root: "spec".into(),
            files: vec![("../x.yaml".into(), Vec::new())],
        });
        let dir = std::env::temp_dir().join(format!("pims-fuzz-unsafe-{}", std::process::id()));
        assert!(bad.write(&dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
