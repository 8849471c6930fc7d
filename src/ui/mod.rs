//! The browser UI, in Leptos. Compiled for wasm32 only; nothing below this layer knows it exists.
//!
//! A tour:
//! - [`start`] mounts [`App`]: the header, a notice for a save that could not be restored, and the
//!   routes (`/`, `/lessons`, `/lessons/:id`, `/playground`).
//! - [`state::LabState`] holds the one `Lab` and the signals the views follow: the clock, a
//!   revision counter bumped whenever the lab changes, the active terminal tab, the clock speed.
//! - [`storage`] saves the lab and lesson progress in `localStorage`, exports and imports files.
//! - The workspace ([`workspace`]) is the clock bar and the terminal; the lesson page puts the
//!   lesson's steps beside it, the playground puts an inspector of the lab beside it.
//! - [`python`] runs `python3` programs in Web Workers (Pyodide, with the real boto3 and
//!   redis-py) and answers their requests through the same driver as the native runtime.
//! - The playground also shows the region ([`topology`], with fault buttons), the RDS event log
//!   ([`events_panel`]) and metric charts ([`charts`]).

mod charts;
mod clock_bar;
mod console;
mod editor;
mod events_panel;
mod header;
mod home_page;
mod inspector;
mod lesson_page;
mod lessons_page;
mod notice;
mod playground_page;
mod playground_panels;
mod python;
mod state;
mod step_card;
mod storage;
mod terminal;
mod topology;
mod workspace;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Entry point from `main`: panic messages go to the console, the lessons are fetched, and the
/// app mounts on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        crate::lessons::catalog::install(fetch_lessons().await);
        leptos::mount::mount_to_body(App);
    });
}

/// The course's lesson files, from `/course/` (Trunk copies `lessons/` there), all at once. A
/// file that cannot be fetched is left out: the others still make a course.
async fn fetch_lessons() -> Vec<(String, String)> {
    let names = crate::lessons::catalog::file_names();
    let texts = futures::future::join_all(names.iter().map(|name| fetch_text(format!("/course/{name}")))).await;
    names.iter().zip(texts).filter_map(|(name, text)| Some((name.to_string(), text?))).collect()
}

async fn fetch_text(url: String) -> Option<String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(&url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

#[component]
fn App() -> impl IntoView {
    state::provide_lab_state();
    view! {
        <Router>
            <header::Header/>
            <notice::SaveNotice/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=home_page::HomePage/>
                    <Route path=path!("/playground") view=playground_page::PlaygroundPage/>
                    <Route path=path!("/lessons") view=lessons_page::LessonsPage/>
                    <Route path=path!("/lessons/:id") view=lesson_page::LessonPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. Try the " <a href="/lessons">"lessons"</a> " or the " <a href="/playground">"playground"</a> "."</p>
        </section>
    }
}
