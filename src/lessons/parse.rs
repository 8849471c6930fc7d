//! Reading a lesson file.
//!
//! ~~~text
//! ---
//! id: lab-basics
//! title: Getting around the lab
//! module: 0 · The lab
//! minutes: 10
//! summary: One line for the lesson list.
//! ---
//! Intro markdown.
//!
//! ## A step's title
//! Prose in markdown.
//! ```try
//! laptop$ date
//! ```
//! ```check
//! clock_advanced 300
//! ```
//! Hint: a hint (one per line).
//! ```solution
//! laptop$ sleep 300
//! ```
//!
//! ## What you learned        <- a section without a check block is prose (the outro)
//! ~~~
//!
//! A `try` or `solution` line names its terminal before `$ `: `laptop$` is the host's first
//! tab, `laptop[2]$` its second (opened when the line runs, if it is not open yet), and so on
//! — for steps with two terminals side by side, such as a subscriber and a publisher. A line may
//! also name an EC2 instance by its Name tag (`app$ mysql ...`): it runs in the terminal that
//! `ssh` took there, so a lesson shows on which machine each command runs.
//! A label alone (`app$`) types an empty line: a blank line in a here-document's body.

use super::check::Check;
use super::lesson::{HostLine, Lesson, Step};

pub fn parse_lesson(source: &str) -> Result<Lesson, String> {
    let source = source.replace("\r\n", "\n");
    let rest = source.strip_prefix("---\n").ok_or("a lesson starts with front matter (---)")?;
    let end = rest.find("\n---\n").ok_or("the front matter is not closed with ---")?;
    let (front, body) = (&rest[..end], &rest[end + 5..]);

    let field = |name: &str| -> Result<String, String> {
        front
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().to_string()))
            .ok_or_else(|| format!("front matter lacks `{name}`"))
    };
    let minutes = field("minutes")?.parse::<u32>().map_err(|_| "minutes must be a number".to_string())?;
    let mut lesson = Lesson {
        id: field("id")?,
        title: field("title")?,
        module: field("module")?,
        minutes,
        summary: field("summary")?,
        intro: String::new(),
        steps: Vec::new(),
        outro: String::new(),
    };

    let mut sections = body.split("\n## ");
    lesson.intro = sections.next().unwrap_or("").trim().to_string();
    for section in sections {
        let (title, content) = section.split_once('\n').unwrap_or((section, ""));
        let parsed = parse_section(title.trim(), content).map_err(|e| format!("step \"{}\": {e}", title.trim()))?;
        match parsed {
            Some(step) => {
                if !lesson.outro.is_empty() {
                    return Err(format!("step \"{}\" comes after the closing prose", step.title));
                }
                lesson.steps.push(step);
            }
            None => {
                lesson.outro.push_str(&format!("### {}\n{}\n", title.trim(), content.trim()));
            }
        }
    }
    if lesson.steps.is_empty() {
        return Err("a lesson needs at least one step".into());
    }
    Ok(lesson)
}

/// A step, or None for a prose-only section.
fn parse_section(title: &str, content: &str) -> Result<Option<Step>, String> {
    let mut prose = String::new();
    let mut hints = Vec::new();
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = content.lines();
    while let Some(line) = lines.next() {
        if let Some(kind) = line.strip_prefix("```").filter(|k| ["try", "check", "solution"].contains(&k.trim())) {
            let mut body = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim() == "```" {
                    break;
                }
                body.push(inner.to_string());
            }
            blocks.push((kind.trim().to_string(), body));
        } else if let Some(hint) = line.strip_prefix("Hint:") {
            hints.push(hint.trim().to_string());
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let block = |kind: &str| blocks.iter().find(|(k, _)| k == kind).map(|(_, b)| b.clone());
    let Some(check_lines) = block("check") else { return Ok(None) };
    let check = Check::parse(&check_lines.join("\n"))?;
    let solution = host_lines(&block("solution").ok_or("a step needs a solution block")?)?;
    let try_lines = host_lines(&block("try").unwrap_or_default())?;
    Ok(Some(Step { title: title.to_string(), prose: prose.trim().to_string(), try_lines, check, hints, solution }))
}

fn host_lines(lines: &[String]) -> Result<Vec<HostLine>, String> {
    lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            // `laptop$` alone types an empty line (a blank line of a here-document's body).
            let (terminal, text) = l
                .split_once("$ ")
                .or_else(|| l.trim_end().strip_suffix('$').map(|t| (t, "")))
                .ok_or_else(|| format!("`{l}` should read `host$ command` or `host[2]$ command`"))?;
            let (host, tab) = terminal_name(terminal.trim())
                .ok_or_else(|| format!("`{terminal}` should name a host, or a host and a tab (`laptop[2]`)"))?;
            Ok(HostLine { host, tab, text: text.to_string() })
        })
        .collect()
}

/// `laptop` -> (laptop, 1); `laptop[2]` -> (laptop, 2).
pub(super) fn terminal_name(name: &str) -> Option<(String, usize)> {
    let (host, tab) = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
        Some((host, n)) => (host, n.parse::<usize>().ok().filter(|t| *t >= 1)?),
        None => (name, 1),
    };
    let valid = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then(|| (host.to_string(), tab))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\nid: t\ntitle: T\nmodule: 0 · The lab\nminutes: 5\nsummary: S\n---\nHello.\n\n## First\nDo it.\n```try\nlaptop$ date\n```\n```check\nclock_advanced 60\n```\nHint: use sleep\n```solution\nlaptop$ sleep 60\n```\n\n## Done\nBye.\n";

    #[test]
    fn reads_front_matter_steps_and_outro() {
        let l = parse_lesson(SAMPLE).unwrap();
        assert_eq!((l.id.as_str(), l.minutes, l.intro.as_str()), ("t", 5, "Hello."));
        assert_eq!(l.steps.len(), 1);
        assert_eq!(l.steps[0].hints, ["use sleep"]);
        assert_eq!(l.steps[0].solution[0], HostLine { host: "laptop".into(), tab: 1, text: "sleep 60".into() });
        assert_eq!(l.steps[0].prose, "Do it.");
        assert!(l.outro.contains("Bye."));
    }

    #[test]
    fn reports_mistakes() {
        assert!(parse_lesson("no front matter").is_err());
        assert!(parse_lesson(&SAMPLE.replace("clock_advanced 60", "frobnicate")).unwrap_err().contains("First"));
        assert!(parse_lesson(&SAMPLE.replace("laptop$ sleep 60", "sleep 60")).is_err());
    }

    #[test]
    fn lines_name_a_host_and_a_tab() {
        let lines = host_lines(&["laptop$ date".to_string(), "laptop[2]$ redis-cli".to_string()]).unwrap();
        assert_eq!((lines[0].host.as_str(), lines[0].tab, lines[0].text.as_str()), ("laptop", 1, "date"));
        assert_eq!((lines[1].host.as_str(), lines[1].tab, lines[1].terminal()), ("laptop", 2, "laptop[2]".to_string()));
        assert!(host_lines(&["laptop[0]$ date".to_string()]).is_err());
        assert!(host_lines(&["laptop[x]$ date".to_string()]).is_err());
        assert!(host_lines(&["no prompt here".to_string()]).is_err());
    }

    #[test]
    fn a_bare_label_types_an_empty_line() {
        // A blank line of a here-document's body, as the golden transcripts write it.
        let lines = host_lines(&["app$ cat > a.py <<'EOF'".into(), "app$".into(), "app$ EOF".into()]).unwrap();
        assert_eq!(lines[1], HostLine { host: "app".into(), tab: 1, text: String::new() });
        assert_eq!(lines.len(), 3);
    }
}
