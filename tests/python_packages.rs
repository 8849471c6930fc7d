//! The wheels `make setup` downloaded are the ones pinned: each file's SHA-256 is the hash in
//! `src/shell/python/requirements.txt` (pip checked them while downloading; this checks the
//! files the build and the virtualenv use now, so a swapped or stale wheel is caught).

use dblab::shell::python::pip::packages;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn wheels_dir() -> PathBuf {
    match std::env::var_os("PYTHON_WHEELS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/dblab/wheels"),
    }
}

#[test]
fn every_pinned_wheel_is_there_with_its_hash() {
    let dir = wheels_dir();
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make setup`)", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    for package in packages() {
        // Wheel names spell the project with underscores: python_dateutil-2.9.0.post0-...
        let prefix = format!("{}-{}-", package.name.replace('-', "_"), package.version);
        let wheel = files
            .iter()
            .find(|f| f.starts_with(&prefix) && f.ends_with(".whl"))
            .unwrap_or_else(|| panic!("no wheel for {} {} in {}", package.name, package.version, dir.display()));
        let bytes = std::fs::read(dir.join(wheel)).expect("the wheel reads");
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(digest, package.sha256, "{wheel} is not the pinned file");
    }
}
