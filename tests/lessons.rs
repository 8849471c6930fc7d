//! Every lesson parses, and its solutions, replayed in order on a fresh lab, make every step's
//! check pass. No lesson can silently break. The lab each step leaves behind also survives a
//! save and restore, as it must when the page reloads mid-lesson.

use dblab::cloud::time::Timestamp;
use dblab::lessons::{catalog, check, replay};
use dblab::shell::{save, Lab};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_lesson_file_parses() {
    assert_eq!(catalog::problems(), Vec::<(String, String)>::new());
    assert!(!catalog::all().is_empty());
}

#[test]
fn every_solution_passes_its_check_on_a_fresh_lab() {
    for lesson in catalog::all() {
        let mut lab = Lab::new(2026, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        for (i, step) in lesson.steps.iter().enumerate() {
            replay::run_solution(&mut lab, step);
            assert!(
                step.check.passes(&lab),
                "lesson {} step {} ({}) does not pass after its solution",
                lesson.id,
                i + 1,
                step.title
            );
            let text = save::encode(&lab)
                .unwrap_or_else(|e| panic!("lesson {} step {}: the lab does not save: {e}", lesson.id, i + 1));
            let restored = save::decode(&text).unwrap_or_else(|e| panic!("lesson {} step {}: {e}", lesson.id, i + 1));
            assert!(restored == lab, "lesson {} step {}: the restored lab differs", lesson.id, i + 1);
            lab = restored;
        }
        // Steps stay done: nothing later undid an earlier step.
        for (i, step) in lesson.steps.iter().enumerate() {
            assert!(step.check.passes(&lab), "lesson {} step {} stopped passing", lesson.id, i + 1);
        }
    }
}

#[test]
fn checks_that_are_about_state_fail_on_a_fresh_lab() {
    // A check that passes before the learner does anything would teach nothing.
    for lesson in catalog::all() {
        let lab = Lab::new(7, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        for step in &lesson.steps {
            assert!(!step.check.passes(&lab), "lesson {} step {} passes on a fresh lab", lesson.id, step.title);
        }
    }
}

#[test]
fn lessons_are_curriculum_lessons_in_curriculum_order() {
    let lessons = catalog::all();
    let ranks: Vec<usize> = lessons
        .iter()
        .map(|l| {
            catalog::CURRICULUM
                .iter()
                .position(|c| *c == l.id)
                .unwrap_or_else(|| panic!("lesson {} is not in the curriculum", l.id))
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    // Lessons of one module share its title exactly, so the lesson list groups them.
    for pair in lessons.windows(2) {
        let number = |m: &str| m.split(' ').next().unwrap_or_default().to_string();
        if number(&pair[0].module) == number(&pair[1].module) {
            assert_eq!(pair[0].module, pair[1].module, "{} and {}", pair[0].id, pair[1].id);
        }
    }
}

#[test]
fn lesson_ids_are_unique_and_match_file_names() {
    let lessons = catalog::all();
    let mut ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate lesson ids");
}

#[test]
fn a_line_naming_a_tab_runs_in_that_terminal() {
    // `laptop[2]$` lines open and drive the laptop's second tab: the subscriber there sees what
    // the first tab publishes.
    let lesson = catalog::find("redis-pubsub-streams").expect("the pub/sub lesson exists");
    let mut lab = Lab::new(2026, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
    let typed_first = replay::run_solution(&mut lab, &lesson.steps[0]);
    let typed_second = replay::run_solution(&mut lab, &lesson.steps[1]);
    let laptop_tabs: Vec<u32> = lab.sessions.iter().filter(|s| s.host == "laptop").map(|s| s.id).collect();
    assert_eq!(laptop_tabs.len(), 2);
    assert!(typed_first.iter().all(|(s, _)| *s == laptop_tabs[1]));
    assert!(typed_second.iter().all(|(s, _)| *s == laptop_tabs[0]));
    let subscriber = format!("{:?}", lab.session(laptop_tabs[1]).unwrap().transcript);
    assert!(
        subscriber.contains("1) \\\"message\\\"\\n2) \\\"news\\\"\\n3) \\\"Hello, subscribers\\\""),
        "{subscriber}"
    );
    for step in &lesson.steps[2..] {
        replay::run_solution(&mut lab, step);
    }
    if std::env::var("DBLAB_SHOW_TRANSCRIPTS").is_ok() {
        for id in laptop_tabs {
            eprintln!("--- tab {id}\n{:#?}", lab.session(id).unwrap().transcript);
        }
    }
}

#[test]
fn the_checks_reference_is_generated_from_the_registry() {
    // Lesson authors read docs/checks.md; it is the registry's own rendering, so it cannot go
    // stale. `UPDATE_GOLDENFILES=1` rewrites it after a condition was added or changed.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    let generated = check::reference();
    if std::env::var("UPDATE_GOLDENFILES").is_ok() {
        std::fs::write(&path, &generated).expect("write docs/checks.md");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/checks.md differs from the registry: run `UPDATE_GOLDENFILES=1 cargo test --test lessons`"
    );
}

#[test]
fn every_condition_is_documented_and_used_by_a_lesson() {
    let reference = check::reference();
    let mut registered = BTreeSet::new();
    for entry in check::registry() {
        assert!(registered.insert(entry.name), "`{}` is registered twice", entry.name);
        assert!(!entry.usage.is_empty() && !entry.holds_when.is_empty(), "`{}` lacks its usage or text", entry.name);
        assert!(reference.contains(&check::reference_row(entry)), "`{}` is not in the reference", entry.name);
    }
    let lessons = catalog::all();
    let conditions = lessons.iter().flat_map(|l| &l.steps).flat_map(|s| &s.check.conditions);
    let used: BTreeSet<String> = conditions.flat_map(|c| c.names()).map(str::to_string).collect();
    for name in &used {
        assert!(registered.contains(name.as_str()), "a lesson uses `{name}`, which is not registered");
    }
    for name in registered {
        assert!(used.contains(name), "no lesson uses `{name}`: use it or remove it");
    }
}
