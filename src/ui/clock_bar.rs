use super::state::{use_lab, Speed};
use super::storage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The virtual clock (time, speed, skip to the next event) and the lab's menu
/// (reset, export, import).
#[component]
pub fn ClockBar() -> impl IntoView {
    let state = use_lab();
    let time = move || state.clock.get().to_time_of_day();
    let date = move || state.clock.get().to_date_only();
    let next_event = move || {
        state.rev.track();
        state.lab.with_value(|l| l.cloud.events.next_due())
    };
    let speed_button = move |speed: Speed, label: &'static str, title: &'static str| {
        view! {
            <button class="seg" title=title aria-pressed=move || (state.speed.get() == speed).to_string()
                on:click=move |_| { state.speed.set(speed); state.save(); }>
                {label}
            </button>
        }
    };
    let import_ref = NodeRef::<leptos::html::Input>::new();
    let message = RwSignal::new(None::<String>);

    let on_import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            match text.map(|t| storage::parse_save(&t)) {
                Some(Ok(saved)) => {
                    state.speed.set(saved.speed);
                    state.replace(saved.lab, saved.active);
                    message.set(Some("Lab imported.".into()));
                }
                Some(Err(reason)) => message.set(Some(format!("That file could not be imported: {reason}."))),
                None => message.set(Some("That file could not be read.".into())),
            }
        });
    };

    view! {
        <div class="clock-bar">
            <div class="clock" aria-live="off">
                <span class="clock-time">{time}</span>
                <span class="clock-date">{date}" UTC"</span>
            </div>
            <div class="segmented" role="group" aria-label="Clock speed">
                {speed_button(Speed::Paused, "Pause", "Stop the lab's clock")}
                {speed_button(Speed::X1, "x1", "Real time")}
                {speed_button(Speed::X10, "x10", "Ten times faster")}
                {speed_button(Speed::X60, "x60", "A minute per second")}
            </div>
            // (On a phone it reads "Next", so that the bar stays one row; its name is whole.)
            <button class="button quiet next-event" aria-label="Next event"
                disabled=move || next_event().is_none()
                title=move || match next_event() { Some(at) => format!("Jump to {}", at.to_time_of_day()), None => "No events are scheduled".to_string() }
                on:click=move |_| { state.change(|l| l.advance_to_next_event()); }>
                "Next"<span class="wide-only">" event"</span>
            </button>
            <details class="lab-menu">
                <summary class="button quiet">"Lab"</summary>
                <div class="menu">
                    <button class="button quiet" on:click=move |_| {
                        match state.lab.with_value(|lab| storage::to_json(lab, state.active.get_untracked(), state.speed.get_untracked())) {
                            Ok(json) => storage::download("dblab-lab.json", &json, "application/json"),
                            Err(e) => message.set(Some(format!("The lab could not be exported: {e}"))),
                        }
                    }>"Export lab"</button>
                    <button class="button quiet" on:click=move |_| {
                        if let Some(input) = import_ref.get() { input.click(); }
                    }>"Import lab…"</button>
                    <button class="button quiet danger" on:click=move |_| {
                        let ok = window().confirm_with_message("Reset the lab? Hosts, files, keys and the clock start over. Lesson progress is kept.").unwrap_or(false);
                        if ok { state.reset(); message.set(Some("A fresh lab is ready.".into())); }
                    }>"Reset lab"</button>
                </div>
                <input type="file" accept=".json,application/json" class="visually-hidden" tabindex="-1"
                    aria-label="Import a lab file" node_ref=import_ref on:change=on_import/>
            </details>
            <p class="clock-message" role="status">{move || message.get()}</p>
        </div>
    }
}
