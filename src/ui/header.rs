use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: the name, and the two places to go.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
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
