//! Every lesson shipped with the app, from `lessons/*.md`: embedded at build time natively;
//! in the browser fetched when the app starts and handed over with [`install`].

use super::lesson::Lesson;
use super::parse::parse_lesson;
use std::sync::OnceLock;

// `build.rs` writes `LESSON_NAMES` (each file in `lessons/`) and `LESSON_FILES`: (file name,
// contents) for each, natively; empty for the browser, which fetches them.
include!(concat!(env!("OUT_DIR"), "/lesson_files.rs"));

/// The lesson files the browser fetched ([`install`]).
static FETCHED: OnceLock<Vec<(String, String)>> = OnceLock::new();

/// The browser's lessons, fetched by name ([`file_names`]); only the first call counts.
pub fn install(files: Vec<(String, String)>) {
    let _ = FETCHED.set(files);
}

/// The names of the lesson files this build has.
pub fn file_names() -> &'static [&'static str] {
    LESSON_NAMES
}

/// Every lesson file: (name, text).
fn files() -> Vec<(&'static str, &'static str)> {
    match FETCHED.get() {
        Some(fetched) => fetched.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect(),
        None => LESSON_FILES.to_vec(),
    }
}

/// The course's lesson ids in teaching order (the curriculum); lessons not written yet are
/// simply absent.
pub const CURRICULUM: &[&str] = &[
    "lab-basics",
    "sql-flavours",
    "rds-first-instance",
    "rds-private-network",
    "rds-app-on-ec2",
    "rds-multi-az",
    "rds-read-replicas",
    "rds-backup-pitr",
    "aurora-cluster",
    "rds-cleanup",
    "ddb-tables-keys",
    "ddb-query-scan",
    "ddb-updates-conditions",
    "ddb-gsi",
    "ddb-capacity",
    "ddb-ttl-transactions",
    "cli-power",
    "sdk-python",
    "redis-strings-hashes",
    "redis-collections",
    "redis-pubsub-streams",
    "sdk-redis",
    "elasticache-cluster",
    "redis-cluster-mode",
    "cache-aside",
    "capstone-resilient-app",
];

/// All lessons, in curriculum order (a lesson outside the curriculum goes last, by module).
/// A lesson that fails to parse is reported by the test suite, and left out here.
pub fn all() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = files().iter().filter_map(|(_, text)| parse_lesson(text).ok()).collect();
    let rank = |id: &str| CURRICULUM.iter().position(|c| *c == id).unwrap_or(CURRICULUM.len());
    lessons.sort_by(|a, b| rank(&a.id).cmp(&rank(&b.id)).then_with(|| a.module.cmp(&b.module)));
    lessons
}

/// Parses every embedded file; the errors, by file name.
pub fn problems() -> Vec<(String, String)> {
    files().iter().filter_map(|(name, text)| parse_lesson(text).err().map(|e| (name.to_string(), e))).collect()
}

pub fn find(id: &str) -> Option<Lesson> {
    all().into_iter().find(|l| l.id == id)
}
