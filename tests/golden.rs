//! Golden transcripts: each file in `tests/golden/` is a shell session, inputs and the exact
//! output expected after each, replayed on a fresh lab (seed 1, clock at 2026-11-26 09:00:00 UTC).
//!
//! ```text
//! laptop$ date                      <- a line typed in the terminal labelled with a host
//!                                      (opened on first use; it stays the same terminal after ssh)
//! Thu Nov 26 09:00:00 UTC 2026      <- what it printed
//! ```
//!
//! The lines run exactly as `dblab replay FILE` runs them ([`dblab::lessons::script`]), so a
//! transcript can be re-recorded or explored by hand with the binary.
//!
//! After every line the lab is saved and restored ([`dblab::shell::save`]), as the browser does
//! when the page reloads: the restored lab must equal the one saved and go on to print the same.
//!
//! Each file is its own test, named after it in `golden_transcripts!`, so that a failure names
//! its file; a file in the folder that the list forgets fails
//! `every_transcript_in_the_folder_is_listed`.
//!
//! Run with `UPDATE_GOLDENFILES=1 cargo test --test golden` to re-record after a deliberate change,
//! then review the diff.

use dblab::cloud::time::Timestamp;
use dblab::shell::python::native::LazyPython;
use dblab::shell::{save, Lab};
use std::fs;
use std::path::Path;

/// Runs a transcript's input lines on a fresh lab as `dblab replay` does
/// ([`dblab::lessons::script`]), saving and restoring the lab after every line.
fn replay(script: &str) -> String {
    let mut lab = Lab::new(1, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
    // `python3` lines run the real CPython of the virtualenv `make setup` makes.
    let mut python = LazyPython::new();
    dblab::lessons::script::run_with(&mut lab, script, Some(&mut python), |lab, line| {
        let restored = save::decode(&save::encode(lab).expect("the lab saves")).expect("the saved lab reads back");
        assert!(restored == *lab, "the lab restored after `{line}` differs from the one saved");
        *lab = restored;
    })
}

/// Replays one transcript and compares (or, with `UPDATE_GOLDENFILES`, re-records) it.
fn check(file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(file);
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let actual = replay(&expected);
    if actual != expected && std::env::var("UPDATE_GOLDENFILES").is_ok() {
        fs::write(&path, &actual).expect("write golden file");
        return;
    }
    assert!(actual == expected, "{}:\n--- expected\n{expected}\n--- actual\n{actual}", path.display());
}

/// One test per transcript (`test_name => "file.txt"`), so that a failure names its file.
macro_rules! golden_transcripts {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*
        const LISTED: &[&str] = &[$($file),*];
    };
}

golden_transcripts!(
    aurora => "aurora.txt",
    aws_credentials => "aws-credentials.txt",
    aws_usage => "aws-usage.txt",
    clock => "clock.txt",
    dynamodb_capacity => "dynamodb-capacity.txt",
    dynamodb_gsi => "dynamodb-gsi.txt",
    dynamodb_paginate => "dynamodb-paginate.txt",
    dynamodb_wait => "dynamodb-wait.txt",
    elasticache => "elasticache.txt",
    files => "files.txt",
    heredoc => "heredoc.txt",
    network => "network.txt",
    python => "python.txt",
    python_boto3 => "python-boto3.txt",
    python_cloudshell => "python-cloudshell.txt",
    python_redis => "python-redis.txt",
    python_redis_cluster => "python-redis-cluster.txt",
    rds_backups => "rds-backups.txt",
    rds_faults => "rds-faults.txt",
    rds_postgres => "rds-postgres.txt",
    rds_replicas => "rds-replicas.txt",
    rds => "rds.txt",
    redis_resp3 => "redis-resp3.txt",
);

#[test]
fn every_transcript_in_the_folder_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let files: Vec<String> = fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() >= 4, "golden scripts are missing");
    let unlisted: Vec<&String> = files.iter().filter(|f| !LISTED.contains(&f.as_str())).collect();
    assert!(unlisted.is_empty(), "add these to golden_transcripts! in tests/golden.rs: {unlisted:?}");
}
