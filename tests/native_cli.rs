//! The native `dblab` binary as a script drives it: `dblab replay FILE` prints the transcript
//! of a golden file exactly as the file holds it, and `dblab shell --host` opens its terminal
//! on the host named.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dblab(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dblab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dblab");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
    child.wait_with_output().expect("output")
}

#[test]
fn replay_prints_a_golden_files_transcript_as_the_file_holds_it() {
    for name in ["clock.txt", "network.txt"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
        let out = dblab(&["replay", path.to_str().expect("utf-8 path")], "");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let expected = std::fs::read_to_string(&path).expect("golden file");
        assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), expected, "{name}");
    }
}

#[test]
fn replay_reads_stdin_and_takes_the_labs_seed_and_start() {
    let out = dblab(&["replay", "--start", "2027-01-02T03:04:05Z", "-"], "laptop$ date\ncloudshell$ whoami\n");
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        "laptop$ date\nSat Jan  2 03:04:05 UTC 2027\ncloudshell$ whoami\ncloudshell-user\n"
    );
    let bad = dblab(&["replay", "--seed", "x", "-"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("dblab: --seed takes a number\n"));
}

#[test]
fn shell_opens_on_the_host_named() {
    let out = dblab(&["shell", "--host", "cloudshell"], "whoami\nhostname\ncat nope\n");
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        "cloudshell-user\ncloudshell\ncat: nope: No such file or directory\n"
    );
    assert_eq!(out.status.code(), Some(1), "the last status is the shell's exit status");
    let nowhere = dblab(&["shell", "--host", "nowhere"], "");
    assert_eq!(nowhere.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&nowhere.stderr),
        "dblab: ssh: Could not resolve hostname nowhere: Name or service not known\n"
    );
}
