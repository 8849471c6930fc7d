use super::state::use_lab;
use crate::lessons::catalog;
use leptos::prelude::*;
use leptos_router::components::A;

/// The course map: lessons grouped by module, with progress.
#[component]
pub fn LessonsPage() -> impl IntoView {
    let state = use_lab();
    let lessons = catalog::all();
    let mut modules: Vec<String> = lessons.iter().map(|l| l.module.clone()).collect();
    modules.dedup();
    view! {
        <section class="page narrow">
            <h1>"Lessons"</h1>
            <p class="lede">"Short, hands-on lessons. Each step turns green when the lab is in the state it asks for."</p>
            {modules.into_iter().map(|module| {
                let in_module: Vec<_> = lessons.iter().filter(|l| l.module == module).cloned().collect();
                view! {
                    <h2 class="module">{format!("Module {module}")}</h2>
                    <ul class="lesson-list">
                        {in_module.into_iter().map(|lesson| {
                            let total = lesson.steps.len();
                            let id = lesson.id.clone();
                            let done = move || state.progress.with(|p| p.done_count(&id));
                            view! {
                                <li class="card lesson-item">
                                    <A href=format!("/lessons/{}", lesson.id)>{lesson.title.clone()}</A>
                                    <p>{lesson.summary.clone()}</p>
                                    <p class="meta">
                                        {format!("{} min · {} steps", lesson.minutes, total)}
                                        " · "
                                        <span class="progress-count">{move || format!("{}/{} done", done(), total)}</span>
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            }).collect_view()}
        </section>
    }
}
