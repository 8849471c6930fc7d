//! A host's small file system: directories and text files in memory.
//!
//! It exists so that learners can keep notes and, above all, write JSON files for the AWS CLI's
//! `file://` arguments (`aws dynamodb batch-write-item --request-items file://movies.json`).
//! Paths are absolute and normalised (`/home/learner/a/../b` → `/home/learner/b`). Sizes are
//! bounded, so no file or pile of files can exhaust the browser's memory.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file, in bytes.
pub const MAX_FILE: usize = 4 * 1024 * 1024;
/// The most bytes all files of a host may hold together.
pub const MAX_TOTAL: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    Dir,
    /// A text file and when it was last written (milliseconds on the lab clock).
    File {
        text: String,
        modified: i64,
    },
}

/// Why a file operation failed, worded as coreutils words it (`strerror`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsADirectory,
    NotADirectory,
    Exists,
    NotEmpty,
    TooLarge,
}

impl FsError {
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::TooLarge => "File too large",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSystem {
    nodes: BTreeMap<String, Node>,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
    pub size: usize,
    /// Milliseconds on the lab clock (0 for directories).
    pub modified: i64,
}

impl FileSystem {
    /// A file system with `/`, `/tmp` and the given home directory.
    pub fn with_home(home: &str) -> FileSystem {
        let mut fs = FileSystem::default();
        fs.nodes.insert("/".into(), Node::Dir);
        fs.nodes.insert("/tmp".into(), Node::Dir);
        let _ = fs.mkdir(home, true);
        fs
    }

    /// Makes `path` absolute against `cwd` and removes `.`, `..` and repeated slashes.
    pub fn resolve(cwd: &str, path: &str) -> String {
        let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        format!("/{}", parts.join("/"))
    }

    fn parent(path: &str) -> &str {
        match path.rfind('/') {
            Some(0) | None => "/",
            Some(i) => &path[..i],
        }
    }

    pub fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.nodes.get(path), Some(Node::Dir))
    }

    /// The paths of every file, in order (for handing a host's files to a program).
    pub fn file_paths(&self) -> Vec<String> {
        self.nodes.iter().filter(|(_, n)| !matches!(n, Node::Dir)).map(|(p, _)| p.clone()).collect()
    }

    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        match self.nodes.get(path) {
            Some(Node::File { text, .. }) => Ok(text),
            Some(Node::Dir) => Err(FsError::IsADirectory),
            None => Err(FsError::NotFound),
        }
    }

    fn total_size(&self) -> usize {
        self.nodes.values().map(|n| if let Node::File { text, .. } = n { text.len() } else { 0 }).sum()
    }

    /// Writes (or appends to) a file; its directory must exist.
    pub fn write(&mut self, path: &str, text: &str, append: bool, now: i64) -> Result<(), FsError> {
        match self.nodes.get(Self::parent(path)) {
            Some(Node::Dir) => {}
            Some(Node::File { .. }) => return Err(FsError::NotADirectory),
            None => return Err(FsError::NotFound),
        }
        let old = match self.nodes.get(path) {
            Some(Node::Dir) => return Err(FsError::IsADirectory),
            Some(Node::File { text, .. }) => text.len(),
            None => 0,
        };
        let new_len = if append { old + text.len() } else { text.len() };
        if new_len > MAX_FILE || self.total_size() - old + new_len > MAX_TOTAL {
            return Err(FsError::TooLarge);
        }
        match self.nodes.get_mut(path) {
            Some(Node::File { text: existing, modified }) if append => {
                existing.push_str(text);
                *modified = now;
            }
            _ => {
                self.nodes.insert(path.to_string(), Node::File { text: text.to_string(), modified: now });
            }
        }
        Ok(())
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if self.nodes.contains_key(path) {
            return if parents && self.is_dir(path) { Ok(()) } else { Err(FsError::Exists) };
        }
        let parent = Self::parent(path).to_string();
        if !self.nodes.contains_key(&parent) {
            if !parents {
                return Err(FsError::NotFound);
            }
            self.mkdir(&parent, true)?;
        }
        if !self.is_dir(&parent) {
            return Err(FsError::NotADirectory);
        }
        self.nodes.insert(path.to_string(), Node::Dir);
        Ok(())
    }

    /// Removes a file, or a directory with `recursive` (or when it is empty and `dir_ok`).
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.nodes.get(path) {
            None => Err(FsError::NotFound),
            Some(Node::File { .. }) => {
                self.nodes.remove(path);
                Ok(())
            }
            Some(Node::Dir) => {
                if !recursive {
                    return Err(FsError::IsADirectory);
                }
                let prefix = format!("{path}/");
                self.nodes.retain(|p, _| p != path && !p.starts_with(&prefix));
                Ok(())
            }
        }
    }

    /// The entries directly inside a directory, sorted by name.
    pub fn list(&self, path: &str) -> Result<Vec<Entry>, FsError> {
        match self.nodes.get(path) {
            None => return Err(FsError::NotFound),
            Some(Node::File { .. }) => return Err(FsError::NotADirectory),
            Some(Node::Dir) => {}
        }
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        Ok(self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter(|(p, _)| !p[prefix.len()..].contains('/') && p.len() > prefix.len())
            .map(|(p, node)| Entry {
                name: p[prefix.len()..].to_string(),
                is_dir: matches!(node, Node::Dir),
                size: if let Node::File { text, .. } = node { text.len() } else { 4096 },
                modified: if let Node::File { modified, .. } = node { *modified } else { 0 },
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths() {
        assert_eq!(FileSystem::resolve("/home/learner", "a/../b/./c"), "/home/learner/b/c");
        assert_eq!(FileSystem::resolve("/home/learner", "/../../x"), "/x");
        assert_eq!(FileSystem::resolve("/", ".."), "/");
    }

    #[test]
    fn files_and_directories() {
        let mut fs = FileSystem::with_home("/home/learner");
        fs.write("/home/learner/a.txt", "one\n", false, 0).unwrap();
        fs.write("/home/learner/a.txt", "two\n", true, 0).unwrap();
        assert_eq!(fs.read("/home/learner/a.txt").unwrap(), "one\ntwo\n");
        assert_eq!(fs.write("/home/learner/no/b.txt", "x", false, 0), Err(FsError::NotFound));
        fs.mkdir("/home/learner/no/deeper", true).unwrap();
        fs.write("/home/learner/no/deeper/b.txt", "x", false, 0).unwrap();
        let names: Vec<_> = fs.list("/home/learner").unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["a.txt", "no"]);
        assert_eq!(fs.remove("/home/learner/no", false), Err(FsError::IsADirectory));
        fs.remove("/home/learner/no", true).unwrap();
        assert_eq!(fs.read("/home/learner/no/deeper/b.txt"), Err(FsError::NotFound));
        assert_eq!(fs.read("/home/learner"), Err(FsError::IsADirectory));
    }

    #[test]
    fn sizes_are_bounded() {
        let mut fs = FileSystem::with_home("/h");
        let big = "x".repeat(MAX_FILE + 1);
        assert_eq!(fs.write("/h/big", &big, false, 0), Err(FsError::TooLarge));
        let chunk = "x".repeat(MAX_FILE);
        for i in 0..4 {
            fs.write(&format!("/h/{i}"), &chunk, false, 0).unwrap();
        }
        assert_eq!(fs.write("/h/last", "x", false, 0), Err(FsError::TooLarge));
    }
}
