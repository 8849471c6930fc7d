//! No line typed in the shell may panic the lab (a panic in wasm kills the page). Thousands of
//! generated lines, from plausible commands with mangled arguments to random bytes, are run
//! on one lab; the test passes if every line returns.

use dblab::cloud::time::Timestamp;
use dblab::engines::rng::Rng;
use dblab::shell::Lab;

const PIECES: &[&str] = &[
    "aws",
    "sts",
    "iam",
    "get-caller-identity",
    "create-access-key",
    "list-access-keys",
    "create-user",
    "--user-name",
    "--output",
    "table",
    "text",
    "json",
    "--query",
    "Users[0]",
    "'[?",
    "{",
    "}",
    "[",
    "]",
    "=",
    ",",
    "--region",
    "configure",
    "list",
    "set",
    "get",
    "region",
    "file://",
    "fileb://x",
    "~",
    "~/",
    "..",
    "/",
    "echo",
    ">",
    ">>",
    ";",
    "&&",
    "||",
    "'",
    "\"",
    "\\",
    "$",
    "$?",
    "${",
    "sleep",
    "1d",
    "-1",
    "99999999999999999999",
    "date",
    "+%",
    "ls",
    "-la",
    "cat",
    "cd",
    "mkdir",
    "-p",
    "rm",
    "-rf",
    "touch",
    "export",
    "A=",
    "history",
    "clear",
    "help",
    "exit",
    "é",
    "東京",
    "\u{0}",
    "\t",
    "Key=Value,Other=[a,{b=c}]",
    "--no-x",
    "--",
    "-",
    "#",
    "<<",
    "<<-",
    "<<'EOF'",
    "<<\"E\"OF",
    "EOF",
    "<",
    "$(",
    ")",
];

#[test]
fn generated_lines_never_panic() {
    let mut rng = Rng::new(20261126);
    let mut lab = Lab::new(5, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
    let cloudshell = lab.open_session("cloudshell").expect("cloudshell exists");
    for i in 0..5000 {
        let words = rng.range(0, 9) as usize;
        let mut line = String::new();
        for _ in 0..words {
            if rng.range(0, 9) == 0 {
                // A burst of random printable and control characters.
                let len = rng.range(1, 12) as usize;
                line.extend((0..len).map(|_| char::from_u32(rng.range(0, 0x2FF) as u32).unwrap_or('?')));
            } else {
                line.push_str(PIECES[rng.range(0, PIECES.len() as u64 - 1) as usize]);
            }
            if rng.range(0, 3) > 0 {
                line.push(' ');
            }
        }
        let mut session = if i % 2 == 0 { 1 } else { cloudshell };
        if lab.session(session).is_none() {
            session = lab.session_on(if i % 2 == 0 { "laptop" } else { "cloudshell" }).expect("host exists");
        }
        if rng.range(0, 20) == 0 {
            // Ctrl+C in the middle of whatever reads the line (a here-document, a prompt).
            lab.interrupt(session, &line);
        } else {
            let _ = lab.exec(session, &line);
        }
        let _ = lab.prompt(session);
        let _ = lab.complete(session, &line);
    }
    // The lab is still whole: it saves, restores to itself, and answers.
    let restored = dblab::shell::save::decode(&dblab::shell::save::encode(&lab).expect("the lab saves"));
    assert!(restored.as_ref() == Ok(&lab), "the restored lab equals the saved one");
    let s = lab.session_on("laptop").expect("laptop");
    // Whatever holds the terminal (a here-document still open, a prompt) gives way to Ctrl+C.
    lab.interrupt(s, "");
    assert!(!lab.exec(s, "echo alive").text.is_empty());
}

#[test]
fn huge_input_is_refused_not_processed() {
    let mut lab = Lab::new(5, Timestamp(0));
    let huge = "x".repeat(10 * 1024 * 1024);
    let out = lab.exec(1, &huge);
    assert!(out.text.contains("line too long"));
    let kept = serde_json::to_string(&lab).expect("serialises").len();
    assert!(kept < 64 * 1024, "a huge line must not bloat the saved lab ({kept} bytes)");
    let deep = format!("aws iam create-user --user-name {}", "{a=".repeat(100_000));
    let _ = lab.exec(1, &deep);
}
