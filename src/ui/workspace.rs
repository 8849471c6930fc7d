//! The workspace shared by lessons and the playground: the clock bar over the terminal and
//! the console, shown as tabs or side by side (the learner's choice, remembered).
//!
//! The console's code is not in the page's first download: the first time it is shown,
//! [`super::console::mount_console`] fetches its wasm chunk and mounts it into its panel.

use super::clock_bar::ClockBar;
use super::terminal::Terminal;
use leptos::prelude::*;
use std::any::Any;

/// What the workspace shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Terminal,
    Console,
}

const LAYOUT_KEY: &str = "dblab.workspace";

#[component]
pub fn Workspace() -> impl IntoView {
    let state = super::state::use_lab();
    let saved = super::storage::load_setting(LAYOUT_KEY).unwrap_or_default();
    let view = RwSignal::new(if saved.starts_with("console") { View::Console } else { View::Terminal });
    let side_by_side = RwSignal::new(saved.ends_with("+split"));
    let console_host = NodeRef::<leptos::html::Div>::new();
    // The mounted console (dropping it unmounts it), and whether its chunk is on its way.
    let console = StoredValue::new_local(None::<Box<dyn Any>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);

    let remember = move || {
        let value = match view.get_untracked() {
            View::Terminal => "terminal",
            View::Console => "console",
        };
        let split = if side_by_side.get_untracked() { "+split" } else { "" };
        super::storage::save_setting(LAYOUT_KEY, &format!("{value}{split}"));
    };
    // "Run in terminal" in the console shows the terminal the line ran in.
    let show_terminal = Callback::new(move |()| {
        if !side_by_side.get_untracked() {
            view.set(View::Terminal);
        }
    });
    let console_shown = move || view.get() == View::Console || side_by_side.get();
    Effect::new(move |_| {
        if !console_shown() || loading.get_untracked() || console.with_value(Option::is_some) {
            return;
        }
        let Some(host) = console_host.get() else { return };
        loading.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            let host: web_sys::HtmlElement = host.into();
            match super::console::mount_console(state, host, show_terminal).await {
                Ok(mounted) => console.set_value(Some(mounted)),
                Err(_) => failed.set(true),
            }
            loading.set(false);
        });
    });
    let tab = move |which: View, label: &'static str| {
        view! {
            <button type="button" role="tab" class="view-tab" id=format!("view-{}", label.to_lowercase())
                aria-selected=move || (view.get() == which).to_string()
                on:click=move |_| { view.set(which); remember(); }>
                {label}
            </button>
        }
    };

    view! {
        <section class="workspace" class:side-by-side=move || side_by_side.get() aria-label="Workspace">
            <ClockBar/>
            <div class="view-bar">
                <div role="tablist" aria-label="Workspace view" class="view-tabs">
                    {tab(View::Terminal, "Terminal")}
                    {tab(View::Console, "Console")}
                </div>
                <label class="side-by-side-toggle">
                    <input type="checkbox" prop:checked=move || side_by_side.get()
                        on:change=move |ev| { side_by_side.set(event_target_checked(&ev)); remember(); }/>
                    "Side by side"
                </label>
            </div>
            <div class="workspace-views">
                <div class="view-panel terminal-panel" role="tabpanel" aria-labelledby="view-terminal"
                    hidden=move || !side_by_side.get() && view.get() != View::Terminal>
                    <Terminal/>
                </div>
                <div class="view-panel console-panel" role="tabpanel" aria-labelledby="view-console"
                    hidden=move || !console_shown()>
                    <p class="console-loading" hidden=move || !loading.get()>"Loading the console..."</p>
                    <p class="console-loading" role="alert" hidden=move || !failed.get()>
                        "The console could not be loaded. Check the connection, then show it again."
                    </p>
                    <div node_ref=console_host></div>
                </div>
            </div>
        </section>
    }
}
