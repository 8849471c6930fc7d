use super::state::use_lab;
use super::workspace::Workspace;
use leptos::prelude::*;
use std::any::Any;

/// The workspace without a script, with the region's topology under it and an inspector of
/// the lab beside it (both fetched when first shown: [`super::playground_panels`]).
#[component]
pub fn PlaygroundPage() -> impl IntoView {
    let state = use_lab();
    let topology = NodeRef::<leptos::html::Div>::new();
    let inspector = NodeRef::<leptos::html::Div>::new();
    let mounted = StoredValue::new_local(None::<Box<dyn Any>>);
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let (Some(topology), Some(inspector)) = (topology.get(), inspector.get()) else { return };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        leptos::task::spawn_local(async move {
            if let Ok(panels) = super::playground_panels::mount_panels(state, topology.into(), inspector.into()).await {
                mounted.set_value(Some(panels));
            }
        });
    });
    view! {
        <div class="playground-layout">
            <h1 class="visually-hidden">"Playground"</h1>
            <div class="playground-main">
                <Workspace/>
                <div node_ref=topology></div>
            </div>
            <div node_ref=inspector></div>
        </div>
    }
}
