use super::inspector::Inspector;
use super::topology::Topology;
use super::workspace::Workspace;
use leptos::prelude::*;

/// The workspace without a script, with an inspector of the lab beside it.
#[component]
pub fn PlaygroundPage() -> impl IntoView {
    view! {
        <div class="playground-layout">
            <h1 class="visually-hidden">"Playground"</h1>
            <div class="playground-main">
                <Workspace/>
                <Topology/>
            </div>
            <Inspector/>
        </div>
    }
}
