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
//! - The playground also shows the region ([`topology`], with fault buttons), the RDS event log
//!   ([`events_panel`]) and metric charts ([`charts`]).

mod charts;
mod clock_bar;
mod events_panel;
mod header;
mod home_page;
mod inspector;
mod lesson_page;
mod lessons_page;
mod notice;
mod playground_page;
mod state;
mod step_card;
mod storage;
mod terminal;
mod topology;
mod workspace;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Entry point from `main`: panic messages go to the console, the app mounts on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
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
