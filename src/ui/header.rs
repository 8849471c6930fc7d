use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: the name, and the two places to go. Its first stops for a keyboard are skip
/// links: to the content, and on a page with a workspace, to the terminal.
#[component]
pub fn Header() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let has_terminal = move || location.pathname.with(|p| p.starts_with("/playground") || p.starts_with("/lessons/"));
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Show when=has_terminal>
                <a class="skip-link" href="#terminal-input"
                    on:click=move |ev| { ev.prevent_default(); super::terminal::go_to_terminal(); }>"Skip to the terminal"</a>
            </Show>
            <A href="/" attr:class="brand">
                <img src="/favicon.svg" alt="" width="24" height="24"/>
                <span>"DB Lab"</span>
            </A>
            <nav aria-label="Main">
                <A href="/lessons">"Lessons"</A>
                <A href="/playground">"Playground"</A>
            </nav>
        </header>
    }
}
