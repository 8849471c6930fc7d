//! Every lesson shipped with the app, embedded at build time from `lessons/*.md`.

use super::lesson::Lesson;
use super::parse::parse_lesson;

// `build.rs` writes `LESSON_FILES`: (file name, contents) for each file in `lessons/`.
include!(concat!(env!("OUT_DIR"), "/lesson_files.rs"));

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
    "elasticache-cluster",
    "redis-cluster-mode",
    "cache-aside",
    "capstone-resilient-app",
];

/// All lessons, in curriculum order (a lesson outside the curriculum goes last, by module).
/// A lesson that fails to parse is reported by the test suite, and left out here.
pub fn all() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = LESSON_FILES.iter().filter_map(|(_, text)| parse_lesson(text).ok()).collect();
    let rank = |id: &str| CURRICULUM.iter().position(|c| *c == id).unwrap_or(CURRICULUM.len());
    lessons.sort_by(|a, b| rank(&a.id).cmp(&rank(&b.id)).then_with(|| a.module.cmp(&b.module)));
    lessons
}

/// Parses every embedded file; the errors, by file name.
pub fn problems() -> Vec<(String, String)> {
    LESSON_FILES.iter().filter_map(|(name, text)| parse_lesson(text).err().map(|e| (name.to_string(), e))).collect()
}

pub fn find(id: &str) -> Option<Lesson> {
    all().into_iter().find(|l| l.id == id)
}
