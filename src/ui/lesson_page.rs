use super::state::use_lab;
use super::step_card::StepCard;
use super::workspace::Workspace;
use crate::lessons::{catalog, markdown};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A lesson beside the workspace. Checks run whenever the lab changes; a step that passes is
/// recorded in the progress and stays green.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    move || match catalog::find(&id()) {
        None => view! {
            <section class="page narrow">
                <h1>"Lesson not found"</h1>
                <p>"There is no lesson with this name. See " <a href="/lessons">"all lessons"</a> "."</p>
            </section>
        }
        .into_any(),
        Some(lesson) => view! { <LessonView lesson=lesson/> }.into_any(),
    }
}

#[component]
fn LessonView(lesson: crate::lessons::Lesson) -> impl IntoView {
    let state = use_lab();
    let lesson = StoredValue::new(lesson);
    let id = lesson.with_value(|l| l.id.clone());
    // A lesson whose solutions run Python starts it in the background, so that its prompt is
    // there by the time the learner gets to it.
    if lesson.with_value(|l| l.steps.iter().any(|s| s.solution.iter().any(|line| line.text.starts_with("python3")))) {
        super::python::prewarm();
    }

    // Evaluate the checks whenever the lab changes (a command, an event, the clock).
    let id_for_checks = id.clone();
    Effect::new(move |_| {
        state.rev.track();
        state.clock.track();
        let passing: Vec<usize> = lesson.with_value(|l| {
            state.lab.with_value(|lab| {
                l.steps.iter().enumerate().filter(|(_, s)| s.check.passes(lab)).map(|(i, _)| i).collect()
            })
        });
        let new: Vec<usize> =
            passing.into_iter().filter(|i| !state.progress.with_untracked(|p| p.is_done(&id_for_checks, *i))).collect();
        if !new.is_empty() {
            state.set_progress(|p| {
                for i in new {
                    p.complete(&id_for_checks, i);
                }
            });
        }
    });

    let total = lesson.with_value(|l| l.steps.len());
    let id_done = id.clone();
    let done_count = Memo::new(move |_| state.progress.with(|p| p.done_count(&id_done)));
    let id_reset = id.clone();
    let (title, module, minutes, intro, outro) =
        lesson.with_value(|l| (l.title.clone(), l.module.clone(), l.minutes, l.intro.clone(), l.outro.clone()));

    view! {
        <div class="lesson-layout">
            <section class="lesson-panel" aria-label="Lesson">
                <p class="meta">{format!("Module {module} · {minutes} min")}</p>
                <h1>{title}</h1>
                <a class="jump-to-terminal" href="#terminal-input"
                    on:click=move |ev| { ev.prevent_default(); super::terminal::go_to_terminal(); }>"Go to the terminal"</a>
                <div class="progress-bar" role="progressbar" aria-label="Steps completed"
                    aria-valuemin="0" aria-valuemax=total aria-valuenow=move || done_count.get()>
                    <div class="progress-fill" style:width=move || format!("{}%", done_count.get() * 100 / total.max(1))></div>
                </div>
                <div class="prose" inner_html=markdown::to_html(&intro)></div>
                <ol class="steps">
                    {(0..total).map(|index| view! { <StepCard lesson=lesson index=index/> }).collect_view()}
                </ol>
                <Show when=move || done_count.get() == total>
                    <div class="lesson-complete" role="status">
                        <strong>"Lesson complete."</strong>
                        " Every step is green."
                    </div>
                </Show>
                <div class="prose outro" inner_html=markdown::to_html(&outro)></div>
                <p>
                    <button class="button quiet" on:click=move |_| {
                        let id = id_reset.clone();
                        state.set_progress(|p| p.forget(&id));
                    }>"Start this lesson over"</button>
                </p>
            </section>
            <Workspace/>
        </div>
    }
}
