//! A host's small file system: directories and text files in memory.
//!
//! It exists so that learners can keep notes and, above all, write JSON files for the AWS CLI's
//! `file://` arguments (`aws dynamodb batch-write-item --request-items file://movies.json`).
//! Paths are absolute and normalised (`/home/learner/a/../b` → `/home/learner/b`). Sizes are
//! bounded, so no file or pile of files can exhaust the browser's memory.
//!
//! Besides directories and the files a learner writes, a file system holds the image's
//! [samples](super::samples) (`~/samples/moviedata.json`): a [`Node::Sample`] names the sample
//! and its text is made when read, so a host's files, and a saved lab, carry an id instead of
//! megabytes. Everything that reads a file goes through [`FileSystem::read`], which gives the
//! text of either kind. Writing to a sample replaces it with an ordinary file holding the new
//! text (or, for `>>`, the sample's text and what was appended), as a copy-on-write would.
//!
//! The quota ([`MAX_TOTAL`]) counts the bytes of ordinary files only: samples are part of the
//! image, like `/usr`, and a learner who never touches them keeps the whole quota. A sample
//! turned into an ordinary file by a write counts from then on.

use super::samples::Sample;
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
    /// A sample shipped with the image: its text is [`Sample::text`], made when first read.
    /// `modified` is 0 (shown as the current time, like the other files of the image) until a
    /// `touch`.
    Sample {
        sample: Sample,
        modified: i64,
    },
}

impl Node {
    /// Whether this is a file (an ordinary one or a sample), not a directory.
    pub fn is_file(&self) -> bool {
        !matches!(self, Node::Dir)
    }

    /// A file's text, whichever kind of file it is (`None` for a directory).
    pub fn text(&self) -> Option<&str> {
        match self {
            Node::Dir => None,
            Node::File { text, .. } => Some(text),
            Node::Sample { sample, .. } => Some(sample.text()),
        }
    }

    /// Bytes this node takes from the host's quota: only ordinary files count.
    fn quota_bytes(&self) -> usize {
        match self {
            Node::File { text, .. } => text.len(),
            Node::Dir | Node::Sample { .. } => 0,
        }
    }

    /// When a file was last written (0 for directories and untouched samples).
    fn modified(&self) -> i64 {
        match self {
            Node::Dir => 0,
            Node::File { modified, .. } | Node::Sample { modified, .. } => *modified,
        }
    }
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

    /// The paths of every file, samples included, in order (for handing a host's files to a
    /// program).
    pub fn file_paths(&self) -> Vec<String> {
        self.nodes.iter().filter(|(_, n)| !matches!(n, Node::Dir)).map(|(p, _)| p.clone()).collect()
    }

    /// The paths of every directory, in order (an empty one too: a program sees `mkdir`'s).
    pub fn dir_paths(&self) -> Vec<String> {
        self.nodes.iter().filter(|(_, n)| matches!(n, Node::Dir)).map(|(p, _)| p.clone()).collect()
    }

    /// The text of the file at `path`: the one way to read a file, an ordinary one or a sample
    /// (the first read of the movie sample makes it, a few milliseconds).
    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        match self.nodes.get(path) {
            Some(Node::Dir) => Err(FsError::IsADirectory),
            Some(node) => node.text().ok_or(FsError::IsADirectory),
            None => Err(FsError::NotFound),
        }
    }

    /// Every file (not directory) with its path, in path order, without reading any text: a
    /// caller that copies files elsewhere decides per file whether to read it (and can skip
    /// samples it has already, by matching [`Node::Sample`]).
    pub fn files(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().filter(|(_, node)| !matches!(node, Node::Dir)).map(|(path, node)| (path.as_str(), node))
    }

    /// The bytes counted against [`MAX_TOTAL`] (samples are not).
    pub fn total_size(&self) -> usize {
        self.nodes.values().map(Node::quota_bytes).sum()
    }

    /// Writes (or appends to) a file; its directory must exist.
    pub fn write(&mut self, path: &str, text: &str, append: bool, now: i64) -> Result<(), FsError> {
        match self.nodes.get(Self::parent(path)) {
            Some(Node::Dir) => {}
            Some(_) => return Err(FsError::NotADirectory),
            None => return Err(FsError::NotFound),
        }
        // What the file holds now, and how much of the quota it takes (nothing for a sample).
        let (old_len, counted) = match self.nodes.get(path) {
            Some(Node::Dir) => return Err(FsError::IsADirectory),
            Some(node) => (node.text().map_or(0, str::len), node.quota_bytes()),
            None => (0, 0),
        };
        let new_len = if append { old_len + text.len() } else { text.len() };
        if new_len > MAX_FILE || self.total_size() - counted + new_len > MAX_TOTAL {
            return Err(FsError::TooLarge);
        }
        match self.nodes.get_mut(path) {
            Some(Node::File { text: existing, modified }) if append => {
                existing.push_str(text);
                *modified = now;
            }
            Some(Node::Sample { sample, .. }) if append => {
                // Copy on write: the sample's text becomes an ordinary file, then grows.
                let mut copy = String::with_capacity(new_len);
                copy.push_str(sample.text());
                copy.push_str(text);
                self.nodes.insert(path.to_string(), Node::File { text: copy, modified: now });
            }
            _ => {
                self.nodes.insert(path.to_string(), Node::File { text: text.to_string(), modified: now });
            }
        }
        Ok(())
    }

    /// Puts a sample at `path` (replacing a file there); its directory must exist.
    pub fn put_sample(&mut self, path: &str, sample: Sample) -> Result<(), FsError> {
        match self.nodes.get(Self::parent(path)) {
            Some(Node::Dir) => {}
            Some(_) => return Err(FsError::NotADirectory),
            None => return Err(FsError::NotFound),
        }
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        self.nodes.insert(path.to_string(), Node::Sample { sample, modified: 0 });
        Ok(())
    }

    /// `touch`: a file's time becomes `now` (a sample stays a sample: its text is unchanged),
    /// a missing file is created empty, a directory is left as it is.
    pub fn touch(&mut self, path: &str, now: i64) -> Result<(), FsError> {
        match self.nodes.get_mut(path) {
            Some(Node::File { modified, .. } | Node::Sample { modified, .. }) => {
                *modified = now;
                Ok(())
            }
            Some(Node::Dir) => Ok(()),
            None => self.write(path, "", false, now),
        }
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

    /// Removes a file (a sample too), or a directory with `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.nodes.get(path) {
            None => Err(FsError::NotFound),
            Some(Node::File { .. } | Node::Sample { .. }) => {
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
            Some(Node::File { .. } | Node::Sample { .. }) => return Err(FsError::NotADirectory),
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
                // A sample's real size: listing the samples makes the movie file once.
                size: node.text().map_or(4096, str::len),
                modified: node.modified(),
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

    #[test]
    fn a_sample_reads_as_its_text_and_costs_no_quota() {
        let mut fs = FileSystem::with_home("/h");
        fs.put_sample("/h/music.json", Sample::Music).unwrap();
        assert_eq!(fs.read("/h/music.json").unwrap(), Sample::Music.text());
        assert_eq!(fs.total_size(), 0, "samples are part of the image");
        let entry = &fs.list("/h").unwrap()[0];
        assert_eq!(entry.size, Sample::Music.text().len(), "ls shows the real size");
        fs.touch("/h/music.json", 5).unwrap();
        assert!(matches!(fs.node("/h/music.json"), Some(Node::Sample { modified: 5, .. })), "touch keeps a sample");
    }

    #[test]
    fn writing_to_a_sample_replaces_it_with_a_file() {
        let mut fs = FileSystem::with_home("/h");
        fs.put_sample("/h/a", Sample::Music).unwrap();
        fs.put_sample("/h/b", Sample::Music).unwrap();
        fs.write("/h/a", "mine\n", false, 1).unwrap();
        assert_eq!(fs.node("/h/a"), Some(&Node::File { text: "mine\n".into(), modified: 1 }));
        fs.write("/h/b", "more\n", true, 2).unwrap();
        assert_eq!(fs.read("/h/b").unwrap(), format!("{}more\n", Sample::Music.text()), "copy on write");
        assert_eq!(fs.total_size(), 5 + Sample::Music.text().len() + 5, "and the copies count");
        fs.remove("/h/b", false).unwrap();
        assert_eq!(fs.read("/h/b"), Err(FsError::NotFound));
    }
}
