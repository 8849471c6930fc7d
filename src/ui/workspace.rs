use super::clock_bar::ClockBar;
use super::terminal::Terminal;
use leptos::prelude::*;

/// The workspace shared by lessons and the playground: the clock bar over the terminal.
#[component]
pub fn Workspace() -> impl IntoView {
    view! {
        <section class="workspace" aria-label="Workspace">
            <ClockBar/>
            <Terminal/>
        </section>
    }
}
