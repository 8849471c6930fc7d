//! The editor panel: a file of a host, open in CodeMirror over its terminal while `nano`, `vi`
//! or `edit` holds that terminal ([`crate::shell::editor`]).
//!
//! The panel shows which file on which host, a "Modified" mark while the buffer differs from
//! the file, and nano's messages (`[ Wrote 12 lines ]`, an error writing). Ctrl+S (or nano's
//! Ctrl+O) saves; Esc (or Ctrl+X) closes, and with unsaved changes asks first: a second Esc
//! closes without saving. Closing gives the terminal back (the rest of the line runs).
//!
//! CodeMirror itself is JavaScript, bundled apart from the app and fetched on first use
//! (`public/editor/`): the app's wasm carries only this panel.

use super::state::use_lab;
use crate::shell::editor::Editing;
use crate::shell::session::SessionId;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/public/editor/loader.mjs")]
extern "C" {
    fn editor_open(
        parent: &web_sys::HtmlElement,
        path: &str,
        text: &str,
        saved: &str,
        save: &Closure<dyn FnMut(String)>,
        close: &Closure<dyn FnMut()>,
        changed: &Closure<dyn FnMut(bool)>,
    ) -> js_sys::Promise;

    /// A mounted editor (`open`'s handle in `public/editor/editor.mjs`).
    type EditorHandle;
    #[wasm_bindgen(method)]
    fn focus(this: &EditorHandle);
    #[wasm_bindgen(method)]
    fn text(this: &EditorHandle) -> String;
    #[wasm_bindgen(method)]
    fn saved(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method)]
    fn destroy(this: &EditorHandle);
}

/// nano's line count for `[ Wrote N lines ]`: the lines of the text, a last one without its
/// newline included.
fn lines_written(text: &str) -> usize {
    text.lines().count()
}

#[component]
pub fn EditorPanel(session: SessionId, editing: Editing) -> impl IntoView {
    let state = use_lab();
    let host_ref = NodeRef::<leptos::html::Div>::new();
    let modified = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let confirm_close = StoredValue::new(false);
    // The panel is gone (its tab left, or the editor closed).
    let closed = StoredValue::new(false);
    let handle = StoredValue::new_local(None::<EditorHandle>);
    // The closures live as long as the panel: CodeMirror calls them.
    let hooks =
        StoredValue::new_local(None::<(Closure<dyn FnMut(String)>, Closure<dyn FnMut()>, Closure<dyn FnMut(bool)>)>);

    let save = move |text: String| match state.change(|lab| lab.editor_save(session, &text)) {
        Ok(()) => {
            handle.with_value(|h| h.as_ref().map(|h| h.saved(&text)));
            confirm_close.set_value(false);
            let n = lines_written(&text);
            message.set(format!("[ Wrote {n} line{} ]", if n == 1 { "" } else { "s" }));
        }
        Err(why) => message.set(why),
    };
    let close = move || {
        if modified.get_untracked() && !confirm_close.get_value() {
            confirm_close.set_value(true);
            message.set("Unsaved changes: Ctrl+S saves them, Esc again closes without saving.".into());
            return;
        }
        state.change(|lab| lab.program_exited(session, 0));
        // The rest of the line may have ended the terminal (`nano f; exit`).
        state.ensure_active();
        if let Some(input) = document().get_element_by_id("terminal-input") {
            let _ = input.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };

    let file = editing.path.clone();
    Effect::new(move |_| {
        let Some(parent) = host_ref.get() else { return };
        if hooks.with_value(Option::is_some) {
            return;
        }
        // The file, or the unsaved text its tab was left with (then marked modified).
        let saved = state.lab.with_value(|lab| lab.editor_file(session)).unwrap_or_default();
        let draft = state.lab.with_value(|lab| lab.editing(session).and_then(|e| e.draft.clone()));
        let text = draft.unwrap_or_else(|| saved.clone());
        let on_save = Closure::<dyn FnMut(String)>::new(save);
        let on_close = Closure::<dyn FnMut()>::new(close);
        let on_changed = Closure::<dyn FnMut(bool)>::new(move |m: bool| {
            modified.set(m);
            if m {
                confirm_close.set_value(false);
            }
        });
        let opening = editor_open(&parent, &file, &text, &saved, &on_save, &on_close, &on_changed);
        hooks.set_value(Some((on_save, on_close, on_changed)));
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(opening).await {
                Ok(h) => {
                    let h: EditorHandle = h.unchecked_into();
                    if closed.get_value() {
                        // The panel went while CodeMirror was loading.
                        h.destroy();
                        return;
                    }
                    h.focus();
                    handle.set_value(Some(h));
                    loaded.set(true);
                }
                Err(_) => message.set("The editor could not be loaded: check the connection and try again.".into()),
            }
        });
    });
    on_cleanup(move || {
        closed.set_value(true);
        handle.update_value(|h| {
            if let Some(h) = h.take() {
                // Another tab is shown: what is not saved stays with this one's editor.
                if modified.get_untracked() {
                    let draft = h.text();
                    state.lab.update_value(|lab| lab.editor_keep_draft(session, Some(draft)));
                    state.save();
                }
                h.destroy();
            }
        });
    });

    let host = state.lab.with_value(|lab| lab.session(session).map(|s| s.host.clone())).unwrap_or_default();
    let program = editing.program.clone();
    let path = editing.path.clone();
    view! {
        <div class="editor" role="region" aria-label=format!("{program}: {path}")>
            <div class="editor-bar">
                <span class="editor-title">
                    <span class="editor-program">{program.clone()}</span>
                    <code>{path.clone()}</code>
                    <span class="editor-host">{format!("on {host}")}</span>
                </span>
                <Show when=move || modified.get()>
                    <span class="editor-modified">"Modified"</span>
                </Show>
                <span class="editor-actions">
                    <button class="editor-save" title="Save (Ctrl+S)"
                        on:click=move |_| {
                            if let Some(text) = handle.with_value(|h| h.as_ref().map(EditorHandle::text)) {
                                save(text);
                            }
                        }>"Save"</button>
                    <button class="editor-close" title="Close (Esc)" on:click=move |_| close()>"Close"</button>
                </span>
            </div>
            <div class="editor-body" node_ref=host_ref>
                <Show when=move || !loaded.get()>
                    <p class="editor-loading">"Loading the editor…"</p>
                </Show>
            </div>
            <div class="editor-status" role="status" aria-live="polite">
                <span>{move || message.get()}</span>
                <span class="editor-keys">"Ctrl+S save · Esc close · Tab indent"</span>
            </div>
        </div>
    }
}
