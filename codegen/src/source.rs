//! The spec's source files, and locations in them.

use std::fmt;
use std::path::{Path, PathBuf};

/// One of the loaded files, by its index in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A place in a source file: line and column are 1-based, the column counts
/// characters. Line 0 means "the whole file".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// 1-based line, or 0 for the whole file.
    pub line: u32,
    /// 1-based column in characters, or 0.
    pub col: u32,
}

impl Loc {
    /// The whole of `file`.
    pub fn file(file: FileId) -> Self {
        Loc {
            file,
            line: 0,
            col: 0,
        }
    }
}

/// A loaded source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given, relative to the spec folder where it is inside it.
    pub path: PathBuf,
    /// Its text (empty when it could not be read as UTF-8).
    pub text: String,
}

impl Source {
    /// The 1-based `line` of the text, without its line break. Lines end as
    /// YAML ends them: at `\r\n`, `\r` or `\n` (so a lone `\r` is a line
    /// break here too, and every later location stays on its line).
    pub fn line(&self, line: u32) -> Option<&str> {
        if line == 0 {
            return None;
        }
        lines(&self.text).nth(line as usize - 1)
    }
}

/// The lines of `text`, split at `\r\n`, `\r` and `\n` (YAML's line breaks).
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
            Some(at) => {
                let width = if current[at..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[at + width..]).filter(|r| !r.is_empty());
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Every file read during one run, so diagnostics can quote them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<Source>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(Source { path, text });
        id
    }

    /// The file `id`.
    pub fn get(&self, id: FileId) -> Option<&Source> {
        self.files.get(id.0 as usize)
    }

    /// The path of file `id`, for messages.
    pub fn path(&self, id: FileId) -> &Path {
        self.get(id).map_or(Path::new("<unknown>"), |s| &s.path)
    }

    /// Every file, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Source)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, s)| (FileId(i as u32), s))
    }

    /// `path:line:col` for `loc`.
    pub fn display(&self, loc: Loc) -> LocDisplay<'_> {
        LocDisplay { sources: self, loc }
    }
}

/// Formats a [`Loc`] as `path:line:col`.
#[derive(Debug)]
pub struct LocDisplay<'a> {
    sources: &'a Sources,
    loc: Loc,
}

impl fmt::Display for LocDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = display_path(self.sources.path(self.loc.file));
        if self.loc.line == 0 {
            write!(f, "{path}")
        } else {
            write!(f, "{path}:{}:{}", self.loc.line, self.loc.col)
        }
    }
}

/// A path with `/` separators on every platform, so output does not depend on it.
pub fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        match component {
            std::path::Component::RootDir => out.push('/'),
            other => out.push_str(&other.as_os_str().to_string_lossy()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_where_yaml_ends_them() {
        let all: Vec<&str> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(all, ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n").collect::<Vec<_>>(), ["a"]);
        assert_eq!(lines("a\n\nb").collect::<Vec<_>>(), ["a", "", "b"]);
    }
}
