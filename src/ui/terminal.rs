//! The terminal: tabs of shell sessions, the scrollback, and the line being typed.
//!
//! Keys: Enter runs the line; Up/Down walk the session's history; Tab completes command
//! names and `aws` services and operations; Ctrl+L clears the screen; Ctrl+C abandons the line
//! (or a program's prompts). Pasting several lines runs them one by one. Clicking anywhere in the
//! terminal puts the focus back in the input, unless text is being selected.

use super::state::use_lab;
use crate::shell::session::{Foreground, Line};
use leptos::ev::{ClipboardEvent, KeyboardEvent};
use leptos::prelude::*;

/// Hosts a new tab can open a shell on.
const HOSTS: &[(&str, &str)] = &[("laptop", "Your laptop, outside AWS"), ("cloudshell", "AWS CloudShell, signed in")];

#[component]
pub fn Terminal() -> impl IntoView {
    let state = use_lab();
    let input = RwSignal::new(String::new());
    // Where we are in the history while walking it with Up/Down (None: at the fresh line).
    let history_pos = RwSignal::new(None::<usize>);
    let draft = RwSignal::new(String::new());
    let candidates = RwSignal::new(Vec::<String>::new());
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
        state.lab.with_value(|l| {
            let mut count = std::collections::HashMap::<String, usize>::new();
            l.sessions
                .iter()
                .map(|s| {
                    let n = count.entry(s.host.clone()).or_insert(0);
                    *n += 1;
                    let label = if *n == 1 { s.host.clone() } else { format!("{} ({})", s.host, n) };
                    (s.id, label)
                })
                .collect::<Vec<_>>()
        })
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

    // A client asking for a password: the input masks what is typed, as a terminal hides it.
    let reads_password = move || {
        state.rev.track();
        let active = state.active.get();
        state.lab.with_value(|l| l.session(active).is_some_and(|s| matches!(s.foreground, Foreground::Password(_))))
    };

    // Keep the newest output in view.
    Effect::new(move |_| {
        state.rev.track();
        state.active.track();
        candidates.track();
        if let Some(el) = output_ref.get() {
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });

    let run_line = move |line: String| {
        let session = state.active.get_untracked();
        candidates.set(Vec::new());
        history_pos.set(None);
        state.exec(session, &line);
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let session = state.active.get_untracked();
        match (ev.key().as_str(), ev.ctrl_key()) {
            ("Enter", _) => {
                ev.prevent_default();
                let line = input.get_untracked();
                input.set(String::new());
                run_line(line);
            }
            ("ArrowUp", _) | ("ArrowDown", _) => {
                if in_program() {
                    return;
                }
                ev.prevent_default();
                let history =
                    state.lab.with_value(|l| l.session(session).map(|s| s.history.clone()).unwrap_or_default());
                if history.is_empty() {
                    return;
                }
                let up = ev.key() == "ArrowUp";
                let next = match (history_pos.get_untracked(), up) {
                    (None, true) => {
                        draft.set(input.get_untracked());
                        Some(history.len() - 1)
                    }
                    (None, false) => None,
                    (Some(0), true) => Some(0),
                    (Some(i), true) => Some(i - 1),
                    (Some(i), false) if i + 1 < history.len() => Some(i + 1),
                    (Some(_), false) => None,
                };
                history_pos.set(next);
                input.set(match next {
                    Some(i) => history[i].clone(),
                    None => draft.get_untracked(),
                });
            }
            ("Tab", _) => {
                ev.prevent_default();
                let completion = state.lab.with_value(|l| l.complete(session, &input.get_untracked()));
                input.set(completion.input);
                candidates.set(completion.candidates);
            }
            ("l", true) | ("L", true) => {
                ev.prevent_default();
                candidates.set(Vec::new());
                state.change(|l| l.clear_screen(session));
            }
            ("c", true) | ("C", true) => {
                // Copy when text is selected; otherwise abandon the line, as a terminal does.
                let selected =
                    window().get_selection().ok().flatten().and_then(|s| s.to_string().as_string()).unwrap_or_default();
                if selected.is_empty() {
                    ev.prevent_default();
                    let partial = input.get_untracked();
                    input.set(String::new());
                    candidates.set(Vec::new());
                    state.change(|l| l.interrupt(session, &partial));
                }
            }
            _ => {}
        }
    };

    let on_paste = move |ev: ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
        let text = text.replace("\r\n", "\n");
        if !text.contains('\n') {
            return;
        }
        ev.prevent_default();
        let mut lines: Vec<&str> = text.split('\n').collect();
        let rest = lines.pop().unwrap_or("");
        let first = format!("{}{}", input.get_untracked(), lines.first().copied().unwrap_or(""));
        input.set(String::new());
        run_line(first);
        for line in lines.iter().skip(1) {
            run_line(line.to_string());
        }
        input.set(rest.to_string());
    };

    let on_click_terminal = move |_| {
        let selecting = window()
            .get_selection()
            .ok()
            .flatten()
            .and_then(|s| s.to_string().as_string())
            .is_some_and(|s| !s.is_empty());
        if !selecting {
            focus_input();
        }
    };

    let open_tab = move |host: &'static str| {
        menu_open.set(false);
        if let Ok(id) = state.change(|l| l.open_session(host)) {
            state.active.set(id);
        }
        input.set(String::new());
        focus_input();
    };
    let close_tab = move |id: u32| {
        let remaining = state.change(|l| {
            l.close_session(id);
            l.sessions.len()
        });
        if remaining == 0 {
            let _ = state.change(|l| l.open_session("laptop"));
        }
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
                                    on:click=move |ev| { ev.stop_propagation(); state.active.set(id); history_pos.set(None); candidates.set(Vec::new()); focus_input(); }>
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
            <div class="terminal-output" node_ref=output_ref role="log" aria-live="polite" aria-label="Terminal output" tabindex="0">
                {move || transcript().into_iter().map(|line| match line {
                    Line::Input { prompt, text } => view! {
                        <div class="term-input"><span class="term-prompt">{prompt}</span>{text}</div>
                    }.into_any(),
                    Line::Output(text) => view! {
                        <pre class="term-output">{text.strip_suffix('\n').unwrap_or(&text).to_string()}</pre>
                    }.into_any(),
                }).collect_view()}
                <Show when=move || !candidates.get().is_empty()>
                    <pre class="term-candidates">{move || candidates.get().join("  ")}</pre>
                </Show>
            </div>
            <div class="terminal-line">
                <label class="terminal-prompt" for="terminal-input">{prompt}</label>
                <input id="terminal-input" class="terminal-input" node_ref=input_ref
                    type=move || if reads_password() { "password" } else { "text" }
                    autocomplete="off" autocapitalize="off" spellcheck="false" aria-label="Terminal input"
                    prop:value=move || input.get()
                    on:input=move |ev| { input.set(event_target_value(&ev)); history_pos.set(None); }
                    on:keydown=on_keydown
                    on:paste=on_paste/>
            </div>
        </div>
    }
}
