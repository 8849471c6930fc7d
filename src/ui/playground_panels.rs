//! The playground's panels beside the workspace: the region's topology (with the fault
//! buttons) and the inspector (reachability, activity, events, metric charts). They are a
//! split point: their code is a wasm chunk fetched when the playground is first opened
//! (`scripts/wasm_build.sh`), so a learner who starts with a lesson does not download it.

use super::inspector::Inspector;
use super::state::LabState;
use super::topology::Topology;
use leptos::prelude::*;
use std::any::Any;

/// Mounts the topology into `topology_host` and the inspector into `inspector_host`;
/// dropping what it returns unmounts both.
#[leptos::wasm_split::wasm_split(playground, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_panels(
    state: LabState,
    topology_host: web_sys::HtmlElement,
    inspector_host: web_sys::HtmlElement,
) -> Result<Box<dyn Any>, leptos::wasm_split::SplitLoaderError> {
    let topology = leptos::mount::mount_to(topology_host, move || {
        provide_context(state);
        view! { <Topology/> }
    });
    let inspector = leptos::mount::mount_to(inspector_host, move || {
        provide_context(state);
        view! { <Inspector/> }
    });
    Ok(Box::new((topology, inspector)))
}
