use super::state::use_lab;
use crate::lessons::{markdown, replay, Lesson};
use leptos::prelude::*;

/// One step of a lesson: prose, commands to try, hints on request, and "show me".
#[component]
pub fn StepCard(lesson: StoredValue<Lesson>, index: usize) -> impl IntoView {
    let state = use_lab();
    let (id, step) = lesson.with_value(|l| (l.id.clone(), l.steps[index].clone()));
    let step = StoredValue::new(step);
    let id_done = id.clone();
    let done = Memo::new(move |_| state.progress.with(|p| p.is_done(&id_done, index)));
    let id_current = id.clone();
    // The first step not yet done is the current one.
    let current = move || {
        let total = lesson.with_value(|l| l.steps.len());
        state.progress.with(|p| (0..total).find(|i| !p.is_done(&id_current, *i))) == Some(index)
    };
    let hints_shown = RwSignal::new(0usize);
    let solution_shown = RwSignal::new(false);
    let hint_count = step.with_value(|s| s.hints.len());

    // Types the solution's lines one by one, each in its terminal, as a learner would: a line
    // waits while a program of its terminal runs (an earlier step's too) until it ends or
    // waits itself (a subscriber listening, a prompt), so that it reaches the shell or the
    // program as intended.
    let running = RwSignal::new(false);
    let run_solution = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        let lines = step.with_value(|s| s.solution.clone());
        wasm_bindgen_futures::spawn_local(async move {
            for line in lines {
                let Ok(session) = state.change(|lab| lab.session_tab(&line.host, line.tab)) else { continue };
                state.active.set(session);
                super::python::settled(state, session).await;
                let text = state.lab.with_value(|lab| replay::fill(lab, &line.text));
                match text.strip_suffix("^C") {
                    Some(partial) => state.interrupt(session, partial),
                    None if text == "^D" => state.end_of_input(session),
                    None => {
                        state.exec(session, &text);
                    }
                }
            }
            running.try_set(false);
        });
    };

    view! {
        <li class="step" class:done=move || done.get() class:current=current>
            <div class="step-head">
                <span class="step-badge" aria-hidden="true">{move || if done.get() { "✓".to_string() } else { (index + 1).to_string() }}</span>
                <h2>{step.with_value(|s| s.title.clone())}</h2>
                <span class="visually-hidden">{move || if done.get() { " (done)" } else { "" }}</span>
            </div>
            <div class="prose" inner_html=step.with_value(|s| markdown::to_html(&s.prose))></div>
            {step.with_value(|s| (!s.try_lines.is_empty()).then(|| {
                let lines: Vec<String> = s.try_lines.iter().map(|l| format!("{}$ {}", l.terminal(), l.text)).collect();
                view! { <pre class="try"><code>{lines.join("\n")}</code></pre> }
            }))}
            <div class="step-actions">
                {(hint_count > 0).then(|| view! {
                    <button class="button quiet hint-button"
                        disabled=move || { hints_shown.get() >= hint_count }
                        on:click=move |_| hints_shown.update(|n| *n = (*n + 1).min(hint_count))>
                        {move || if hints_shown.get() == 0 { "Hint" } else { "Another hint" }}
                    </button>
                })}
                <button class="button quiet show-me" aria-expanded=move || solution_shown.get().to_string()
                    on:click=move |_| solution_shown.update(|s| *s = !*s)>
                    {move || if solution_shown.get() { "Hide solution" } else { "Show me" }}
                </button>
            </div>
            <ul class="hints">
                {move || step.with_value(|s| s.hints.iter().take(hints_shown.get()).map(|h| {
                    view! { <li inner_html=markdown::to_html(h)></li> }
                }).collect_view())}
            </ul>
            <Show when=move || solution_shown.get()>
                <div class="solution">
                    <pre><code>{move || {
                        // Re-read on every change: `{{access_key_id}}` fills in once a key exists.
                        state.rev.track();
                        step.with_value(|s| state.lab.with_value(|lab| s.solution.iter()
                            .map(|l| format!("{}$ {}", l.terminal(), replay::fill(lab, &l.text)))
                            .collect::<Vec<_>>().join("\n")))
                    }}</code></pre>
                    <button class="button primary run-solution" disabled=move || running.get() on:click=run_solution>"Run it in the terminal"</button>
                </div>
            </Show>
        </li>
    }
}
