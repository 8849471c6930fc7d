//! The image's sample files: on every host, read through the file system, kept out of saves.

use dblab::cloud::time::{Duration, Timestamp};
use dblab::shell::fs::Node;
use dblab::shell::samples::Sample;
use dblab::shell::{save, Lab};

fn lab() -> Lab {
    Lab::new(1, Timestamp::from_civil(2026, 11, 26, 9, 0, 0))
}

#[test]
fn every_host_has_both_samples() {
    let mut lab = lab();
    let shell = lab.session_on("cloudshell").unwrap();
    lab.exec(shell, "aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro");
    lab.advance(Duration::from_secs(60));
    assert!(lab.hosts.len() >= 3, "an EC2 host joined: {:?}", lab.hosts.iter().map(|h| &h.name).collect::<Vec<_>>());
    for host in &lab.hosts {
        for sample in Sample::ALL {
            let path = format!("{}/samples/{}", host.home, sample.file_name());
            assert_eq!(host.fs.node(&path), Some(&Node::Sample { sample, modified: 0 }), "{}: {path}", host.name);
        }
    }
}

#[test]
fn saves_hold_ids_not_text_even_after_reading() {
    let mut lab = lab();
    let laptop = lab.session_on("laptop").unwrap();
    let out = lab.exec(laptop, "ls -l samples").text;
    assert!(out.contains(&format!(" {} ", Sample::Movies.text().len())), "{out}");
    // Read the file as a reader of the fs does (`cat` would put 2 MB into the terminal's
    // transcript, which is saved: that is the session's business, not the file system's).
    let host = &lab.hosts[0];
    assert!(host.fs.read(&format!("{}/samples/moviedata.json", host.home)).unwrap().len() > 1_000_000);
    let text = save::encode(&lab).unwrap();
    assert!(text.len() < 16 * 1024, "a fresh lab saves in {} bytes", text.len());
    assert!(save::decode(&text).unwrap() == lab, "and restores");
}

#[test]
fn music_stays_the_cli_file_and_movies_are_for_the_sdk() {
    let music: serde_json::Value = serde_json::from_str(Sample::Music.text()).unwrap();
    assert!(music["Music"].as_array().unwrap().len() <= 25, "batch-write-item takes 25 items");
    let movies: serde_json::Value = serde_json::from_str(Sample::Movies.text()).unwrap();
    assert!(movies.as_array().unwrap().len() > 4_000);
}
