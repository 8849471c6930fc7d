//! Every lesson shipped with the app, embedded at build time from `lessons/*.md`.

use super::lesson::Lesson;
use super::parse::parse_lesson;

// `build.rs` writes `LESSON_FILES`: (file name, contents) for each file in `lessons/`.
include!(concat!(env!("OUT_DIR"), "/lesson_files.rs"));

/// All lessons, in curriculum order (by module, then by the `order` of the files' names).
/// A lesson that fails to parse is reported by the test suite, and left out here.
pub fn all() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = LESSON_FILES.iter().filter_map(|(_, text)| parse_lesson(text).ok()).collect();
    lessons.sort_by(|a, b| a.module.cmp(&b.module));
    lessons
}

/// Parses every embedded file; the errors, by file name.
pub fn problems() -> Vec<(String, String)> {
    LESSON_FILES.iter().filter_map(|(name, text)| parse_lesson(text).err().map(|e| (name.to_string(), e))).collect()
}

pub fn find(id: &str) -> Option<Lesson> {
    all().into_iter().find(|l| l.id == id)
}
