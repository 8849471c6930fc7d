//! The sample files every host's image ships in `~/samples/`: data for the lessons to load.
//!
//! - `music.json`: a small music catalogue in `BatchWriteItem`'s request shape, for the CLI
//!   (`aws dynamodb batch-write-item --request-items file://samples/music.json`; it holds 25
//!   items, the most one call takes).
//! - `moviedata.json`: a catalogue of a few thousand films for the SDK (`json.load(...)`, then
//!   `table.batch_writer()`), too many items for one CLI call by design ([`movies`]).
//!
//! A sample is not stored in a host's file system as text: the file system holds a
//! [`Node::Sample`](super::fs::Node::Sample) naming one of these, and its text is made when
//! something reads it. So a saved lab holds one small id per sample and host instead of
//! megabytes, and nothing is generated until a learner (or a lesson) reads the movie file.
//! Writing to a sample replaces it with an ordinary file, as a copy-on-write would.
//!
//! The text of each sample is made once per process and kept ([`Sample::text`]): a sample is a
//! constant of the image, so keeping it is a cache of a constant, not state of the lab.

mod movie_words;
pub mod movies;

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A file shipped with every host's image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sample {
    /// `samples/music.json`, for the CLI.
    Music,
    /// `samples/moviedata.json`, for the SDK.
    Movies,
}

/// The music catalogue, written by hand in `lessons/data/`.
const MUSIC: &str = include_str!("../../../lessons/data/music.json");

impl Sample {
    /// Every sample, in the order `ls` lists them.
    pub const ALL: [Sample; 2] = [Sample::Movies, Sample::Music];

    /// The file's name in `~/samples/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Sample::Music => "music.json",
            Sample::Movies => "moviedata.json",
        }
    }

    /// The file's text. The movie catalogue is generated on the first call (a few milliseconds)
    /// and kept for the rest of the process.
    pub fn text(self) -> &'static str {
        static MOVIES: OnceLock<String> = OnceLock::new();
        match self {
            Sample::Music => MUSIC,
            Sample::Movies => MOVIES.get_or_init(movies::generate),
        }
    }
}

/// The directory, under a home, that holds the samples.
pub const DIR: &str = "samples";

/// Puts `~/samples/` with every sample into a new host's file system.
pub fn install(fs: &mut super::fs::FileSystem, home: &str) {
    let dir = format!("{home}/{DIR}");
    let _ = fs.mkdir(&dir, true);
    for sample in Sample::ALL {
        // A new host's home exists, so this cannot fail; if it did, the host would just lack it.
        let _ = fs.put_sample(&format!("{dir}/{}", sample.file_name()), sample);
    }
}
