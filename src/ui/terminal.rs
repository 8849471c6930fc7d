//! The terminal: tabs of shell sessions, the scrollback, and the line being typed.
//!
//! Keys: Enter runs the line; Up/Down walk the session's history; Tab completes command
//! names and `aws` services and operations (Esc then Tab leaves the terminal, as the focus
//! would leave any other field); Ctrl+L clears the screen; Ctrl+C abandons the line
//! (or a program's prompts; a Python program gets a KeyboardInterrupt); Ctrl+D on an empty line
//! ends a program's input. Pasting several lines runs them one by one. Clicking anywhere in the
//! terminal puts the focus back in the input, unless text is being selected.
//!
//! What the keys do to the line is the shell's [`LineEditor`], tested natively; this view only
//! wires keys to it and draws the tabs, the scrollback and the line. While `nano FILE` (or
//! `vi`, `edit`) holds a session, its tab shows the [`EditorPanel`] instead.

use super::editor::EditorPanel;
use super::state::use_lab;
use crate::shell::editor::Editing;
use crate::shell::foreground::Foreground;
use crate::shell::line_editor::{tab_labels, LineEditor};
use crate::shell::session::Line;
use leptos::ev::{ClipboardEvent, KeyboardEvent};
use leptos::prelude::*;

/// Hosts a new tab can open a shell on.
const HOSTS: &[(&str, &str)] = &[("laptop", "Your laptop, outside AWS"), ("cloudshell", "AWS CloudShell, signed in")];

#[component]
pub fn Terminal() -> impl IntoView {
    let state = use_lab();
    let editor = RwSignal::new(LineEditor::default());
    let menu_open = RwSignal::new(false);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let output_ref = NodeRef::<leptos::html::Div>::new();

    let focus_input = move || {
        if let Some(el) = input_ref.get() {
            let _ = el.focus();
        }
    };

    let tabs = move || {
        state.rev.track();
        state.lab.with_value(|l| tab_labels(&l.sessions, |host| l.host_label(host)))
    };
    let transcript = move || {
        state.rev.track();
        let active = state.active.get();
        state.lab.with_value(|l| l.session(active).map(|s| s.transcript.clone()).unwrap_or_default())
    };
    let prompt = move || {
        state.rev.track();
        let active = state.active.get();
        state.lab.with_value(|l| l.prompt(active))
    };
    let in_program = move || {
        state.rev.track();
        let active = state.active.get();
        state.lab.with_value(|l| l.session(active).is_some_and(|s| s.foreground != Foreground::Shell))
    };

    // The file open in the active session's editor. A memo, so that the panel (and CodeMirror
    // in it) is made again only when another file or session is edited, not on every change.
    let editing = Memo::new(move |_| {
        state.rev.track();
        let active = state.active.get();
        // (Without its draft: keeping one is no reason to make the panel again.)
        state.lab.with_value(|l| l.editing(active).map(|e| (active, Editing { draft: None, ..e.clone() })))
    });

    // A client asking for a password: the input masks what is typed, as a terminal hides it.
    let reads_password = move || {
        state.rev.track();
        let active = state.active.get();
        state.lab.with_value(|l| l.session(active).is_some_and(|s| s.foreground.hides_input()))
    };

    // Keep the newest output in view.
    Effect::new(move |_| {
        state.rev.track();
        state.active.track();
        editor.with(|e| e.candidates.len());
        if let Some(el) = output_ref.get() {
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });

    let run_line = move |line: String| {
        state.exec(state.active.get_untracked(), &line);
    };

    // Tab completes, as in a shell; Esc then Tab leaves the terminal, as in the browser's
    // code editors, so that a keyboard is never trapped in it.
    let escaped = StoredValue::new(false);
    let on_keydown = move |ev: KeyboardEvent| {
        let session = state.active.get_untracked();
        let after_escape = escaped.get_value();
        // (Shift, for Shift+Tab, and the other modifiers are keys of their own: not a change.)
        if !matches!(ev.key().as_str(), "Shift" | "Control" | "Alt" | "Meta") {
            escaped.set_value(ev.key() == "Escape");
        }
        match (ev.key().as_str(), ev.ctrl_key()) {
            ("Tab", _) if after_escape => {}
            ("Enter", _) => {
                ev.prevent_default();
                let line = editor.try_update(LineEditor::take_line).unwrap_or_default();
                run_line(line);
            }
            ("ArrowUp", _) | ("ArrowDown", _) => {
                if in_program() {
                    return;
                }
                ev.prevent_default();
                let history =
                    state.lab.with_value(|l| l.session(session).map(|s| s.history.clone()).unwrap_or_default());
                match ev.key().as_str() {
                    "ArrowUp" => editor.update(|e| e.history_up(&history)),
                    _ => editor.update(|e| e.history_down(&history)),
                }
            }
            ("Tab", _) => {
                ev.prevent_default();
                let completion =
                    state.lab.with_value(|l| l.complete(session, &editor.with_untracked(|e| e.input.clone())));
                editor.update(|e| e.complete(completion));
            }
            ("l", true) | ("L", true) => {
                ev.prevent_default();
                editor.update(LineEditor::reset);
                state.change(|l| l.clear_screen(session));
            }
            ("c", true) | ("C", true) => {
                // Copy when text is selected; otherwise abandon the line, as a terminal does.
                let selected =
                    window().get_selection().ok().flatten().and_then(|s| s.to_string().as_string()).unwrap_or_default();
                if selected.is_empty() {
                    ev.prevent_default();
                    let partial = editor.try_update(LineEditor::abandon).unwrap_or_default();
                    state.interrupt(session, &partial);
                }
            }
            // The end of input, on an empty line (bash's own Ctrl+D, logout, is left out: one
            // stray key would close the tab).
            ("d", true) | ("D", true) if editor.with_untracked(|e| e.input.is_empty()) => {
                ev.prevent_default();
                state.end_of_input(session);
            }
            _ => {}
        }
    };

    let on_paste = move |ev: ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
        let Some(lines) = editor.try_update(|e| e.paste(&text)).flatten() else { return };
        ev.prevent_default();
        for line in lines {
            run_line(line);
        }
    };

    let on_click_terminal = move |_| {
        let selecting = window()
            .get_selection()
            .ok()
            .flatten()
            .and_then(|s| s.to_string().as_string())
            .is_some_and(|s| !s.is_empty());
        // (The editor keeps its own focus.)
        if !selecting && editing.with_untracked(Option::is_none) {
            focus_input();
        }
    };

    let open_tab = move |host: &'static str| {
        menu_open.set(false);
        if let Ok(id) = state.change(|l| l.open_session(host)) {
            state.active.set(id);
        }
        editor.update(|e| *e = LineEditor::default());
        focus_input();
    };
    let close_tab = move |id: u32| {
        state.change(|l| l.close_session(id));
        state.ensure_active();
    };

    view! {
        <div class="terminal" on:click=on_click_terminal>
            <div class="term-tabs">
                <nav class="term-tab-list" aria-label="Terminal sessions">
                <For each=tabs key=|(id, label)| (*id, label.clone()) let:tab>
                    {
                        let (id, label) = tab;
                        view! {
                            <span class="term-tab-wrap">
                                <button class="term-tab" class:active=move || state.active.get() == id
                                    aria-current=move || (state.active.get() == id).then_some("true")
                                    on:click=move |ev| { ev.stop_propagation(); state.active.set(id); editor.update(LineEditor::reset); focus_input(); }>
                                    {label.clone()}
                                </button>
                                <button class="term-close" aria-label=format!("Close {label}")
                                    on:click=move |ev| { ev.stop_propagation(); close_tab(id); }>"×"</button>
                            </span>
                        }
                    }
                </For>
                </nav>
                <div class="term-new-wrap">
                    <button class="term-new" aria-label="Open a new terminal" aria-haspopup="menu" aria-expanded=move || menu_open.get().to_string()
                        on:click=move |ev| { ev.stop_propagation(); menu_open.update(|o| *o = !*o); }>"+"</button>
                    <Show when=move || menu_open.get()>
                        <div class="term-menu" role="menu">
                            {HOSTS.iter().map(|(host, what)| view! {
                                <button role="menuitem" data-host=*host on:click=move |ev| { ev.stop_propagation(); open_tab(host); }>
                                    <strong>{*host}</strong><span>{*what}</span>
                                </button>
                            }).collect_view()}
                        </div>
                    </Show>
                </div>
            </div>
            {move || editing.get().map(|(session, file)| view! { <EditorPanel session=session editing=file/> })}
            <div class="terminal-output" class:hidden=move || editing.with(Option::is_some) node_ref=output_ref role="log" aria-live="polite" aria-label="Terminal output" tabindex="0">
                // Keyed by position and content: a new line adds one entry, the rest stay.
                <For each=move || transcript().into_iter().enumerate() key=|entry| entry.clone() let:entry>
                    {match entry.1 {
                        Line::Input { prompt, text } => view! {
                            <div class="term-input"><span class="term-prompt">{prompt}</span>{text}</div>
                        }.into_any(),
                        Line::Output(text) => view! {
                            <pre class="term-output">{text.strip_suffix('\n').unwrap_or(&text).to_string()}</pre>
                        }.into_any(),
                    }}
                </For>
                <Show when=move || editor.with(|e| !e.candidates.is_empty())>
                    <pre class="term-candidates">{move || editor.with(|e| e.candidates.join("  "))}</pre>
                </Show>
            </div>
            <div class="terminal-line" class:hidden=move || editing.with(Option::is_some)>
                <label class="terminal-prompt" for="terminal-input">{prompt}</label>
                <input id="terminal-input" class="terminal-input" node_ref=input_ref
                    type=move || if reads_password() { "password" } else { "text" }
                    autocomplete="off" autocapitalize="off" spellcheck="false" aria-label="Terminal input"
                    prop:value=move || editor.with(|e| e.input.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        // Typing `python` starts Python in the background: the prompt comes sooner.
                        if text.starts_with("python") {
                            super::python::prewarm();
                        }
                        editor.update(|e| e.type_text(&text));
                    }
                    on:keydown=on_keydown
                    on:paste=on_paste/>
            </div>
        </div>
    }
}

/// Brings the terminal into view and gives it the keyboard: what the skip link and a lesson's
/// "Go to the terminal" do. (A workspace showing the console switches to the terminal first.)
pub fn go_to_terminal() {
    use leptos::wasm_bindgen::JsCast;
    let Some(document) = window().document() else { return };
    let hidden = document.query_selector(".terminal-panel[hidden]").ok().flatten().is_some();
    if hidden {
        if let Some(tab) =
            document.get_element_by_id("view-terminal").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            tab.click();
        }
    }
    request_animation_frame(move || {
        if let Some(input) =
            document.get_element_by_id("terminal-input").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            input.scroll_into_view();
            let _ = input.focus();
        }
    });
}
