use super::state::use_lab;
use leptos::prelude::*;

/// A look inside the lab: hosts, IAM users and keys, recent API calls.
#[component]
pub fn Inspector() -> impl IntoView {
    let state = use_lab();
    let snapshot = move || {
        state.rev.track();
        state.lab.with_value(|lab| {
            let hosts: Vec<(String, String, usize)> = lab
                .hosts
                .iter()
                .map(|h| (h.name.clone(), h.user.clone(), lab.sessions.iter().filter(|s| s.host == h.name).count()))
                .collect();
            let keys: Vec<(String, String, bool)> =
                lab.cloud.iam.all_keys().map(|(u, k)| (u.name.clone(), k.id.clone(), k.active)).collect();
            let calls: Vec<(String, String, String, Option<String>)> = lab
                .cloud
                .trail
                .calls
                .iter()
                .rev()
                .take(12)
                .map(|c| {
                    (c.at.to_time_of_day(), c.source.clone(), format!("{}:{}", c.service, c.operation), c.error.clone())
                })
                .collect();
            (lab.cloud.iam.account.clone(), hosts, keys, calls)
        })
    };
    view! {
        <aside class="inspector" aria-label="Lab inspector">
            {move || {
                let (account, hosts, keys, calls) = snapshot();
                view! {
                    <h2>"Account"</h2>
                    <p class="mono">{account}" · us-east-1"</p>
                    <h2>"Hosts"</h2>
                    <ul class="plain">
                        {hosts.into_iter().map(|(name, user, open)| view! {
                            <li><span class="mono">{name}</span>" — "{user}{if open > 0 { format!(" · {open} open") } else { String::new() }}</li>
                        }).collect_view()}
                    </ul>
                    <h2>"Access keys"</h2>
                    {if keys.is_empty() {
                        view! { <p class="muted">"None yet. Create one in CloudShell with aws iam create-access-key."</p> }.into_any()
                    } else {
                        view! { <ul class="plain">{keys.into_iter().map(|(user, id, active)| view! {
                            <li><span class="mono">{id}</span>" · "{user}" · "{if active { "Active" } else { "Inactive" }}</li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                    <h2>"Recent API calls"</h2>
                    {if calls.is_empty() {
                        view! { <p class="muted">"No calls yet."</p> }.into_any()
                    } else {
                        view! { <ul class="plain calls">{calls.into_iter().map(|(at, source, op, error)| view! {
                            <li>
                                <span class="mono">{at}</span>" "{source}" "<span class="mono">{op}</span>" "
                                {match error { Some(e) => view! { <span class="bad">{e}</span> }.into_any(), None => view! { <span class="good">"OK"</span> }.into_any() }}
                            </li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                }
            }}
        </aside>
    }
}
