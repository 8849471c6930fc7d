use super::state::use_lab;
use super::storage;
use leptos::prelude::*;

/// Shown when the saved lab could not be restored (says why, and offers the old data), or when
/// the lab could not be saved.
#[component]
pub fn SaveNotice() -> impl IntoView {
    let state = use_lab();
    view! {
        {move || state.rejected.get().map(|rejected| {
            let raw = rejected.raw.clone();
            view! {
                <div class="notice" role="alert">
                    <p>
                        <strong>"Your saved lab could not be restored: "</strong>
                        {rejected.reason.clone()}
                        ". A fresh lab was started; your old data is kept aside."
                    </p>
                    <div class="notice-actions">
                        <button class="button" on:click=move |_| storage::download("dblab-unrestored-save.json", &raw, "application/json")>
                            "Download the old data"
                        </button>
                        <button class="button quiet" on:click=move |_| state.rejected.set(None)>"Dismiss"</button>
                    </div>
                </div>
            }
        })}
        {move || state.save_failed.get().map(|reason| view! {
            <div class="notice" role="alert">
                <p>
                    <strong>"Your lab could not be saved in this browser: "</strong>
                    {reason}
                    ". The last save is kept; use Lab → Export lab to keep your work as a file."
                </p>
                <div class="notice-actions">
                    <button class="button quiet" on:click=move |_| state.save_failed.set(None)>"Dismiss"</button>
                </div>
            </div>
        })}
    }
}
