//! Every lesson parses, and its solutions, replayed in order on a fresh lab, make every step's
//! check pass. No lesson can silently break.

use dblab::cloud::time::Timestamp;
use dblab::lessons::{catalog, replay};
use dblab::shell::Lab;

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
